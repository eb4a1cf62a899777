#include "install/prepare.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "install/error.hpp"
#include "util/parallel.hpp"

namespace cenv::install {

namespace fs = std::filesystem;

namespace {

// Packages waiting for extraction, filled by the fetch (from any thread), drained by the
// extraction threads.
class WorkQueue {
  public:
    void push(std::size_t index, std::optional<fs::path> archive) {
        {
            const std::lock_guard lock(mutex_);
            items_.emplace_back(index, std::move(archive));
        }
        ready_.notify_one();
    }
    void close() {
        {
            const std::lock_guard lock(mutex_);
            closed_ = true;
        }
        ready_.notify_all();
    }
    /// The next item; nullopt once the queue is closed and empty.
    std::optional<std::pair<std::size_t, std::optional<fs::path>>> pop() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
        if (items_.empty()) {
            return std::nullopt;
        }
        auto item = std::move(items_.front());
        items_.pop_front();
        return item;
    }

  private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::pair<std::size_t, std::optional<fs::path>>> items_;
    bool closed_ = false;
};

}  // namespace

std::vector<PreparedPackage> prepare_packages(PackageCache& cache,
                                              std::span<const specs::PackageRecord> records,
                                              const PrepareOptions& options) {
    std::vector<PreparedPackage> out(records.size());
    WorkQueue queue;
    std::vector<ArchiveRequest> requests;
    std::vector<std::size_t> request_index;
    std::size_t queued = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (auto tree = cache.find_tree(records[i])) {
            out[i].tree = *tree;
            if (options.on_ready) {
                options.on_ready(i);
            }
        } else if (cache.find_archive(records[i])) {
            queue.push(i, std::nullopt);
            ++queued;
        } else {
            out[i].fetched = true;
            const std::string fn =
                records[i].fn.empty() ? dist_name(records[i]) + ".conda" : records[i].fn;
            requests.push_back({&records[i], cache.writable_dir() / fn});
            request_index.push_back(i);
        }
    }
    if (queued == 0 && requests.empty()) {
        return out;
    }

    std::mutex error_mutex;
    std::exception_ptr error;
    std::atomic<bool> failed{false};
    const auto note_error = [&](std::exception_ptr e) {
        const std::lock_guard lock(error_mutex);
        if (!error) {
            error = std::move(e);
        }
        failed = true;
    };
    const std::size_t threads = std::max<std::size_t>(
        1, std::min(options.threads == 0 ? util::default_threads() : options.threads,
                    queued + requests.size()));
    std::vector<std::thread> workers;
    workers.reserve(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            while (auto item = queue.pop()) {
                if (failed || (options.interrupted != nullptr && *options.interrupted)) {
                    continue;  // drain: the transaction will not go on
                }
                try {
                    out[item->first].tree =
                        cache.ensure_extracted(records[item->first], item->second);
                    if (options.on_ready) {
                        options.on_ready(item->first);
                    }
                } catch (...) {  // rethrown to the caller below
                    note_error(std::current_exception());
                }
            }
        });
    }
    if (!requests.empty()) {
        try {
            if (!options.fetch) {
                throw InstallError("the package cache lacks " +
                                       records[request_index.front()].dist_str() +
                                       " and nothing can fetch it",
                                   "give the channel it comes from");
            }
            options.fetch(requests, [&](std::size_t i, const fs::path& archive) {
                queue.push(request_index.at(i), archive);
            });
        } catch (...) {  // rethrown to the caller below
            note_error(std::current_exception());
        }
    }
    queue.close();
    for (auto& worker : workers) {
        worker.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
    if (options.interrupted != nullptr && *options.interrupted) {
        throw Interrupted("interrupted while preparing the packages", "");
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].tree.empty()) {
            throw InstallError(records[i].dist_str() + " was not fetched",
                               "the download did not report this package; try again");
        }
    }
    return out;
}

}  // namespace cenv::install
