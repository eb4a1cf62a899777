#pragma once
// Running independent pieces of work on a few threads: `parallel_for(count, threads, fn)`
// calls fn(i) for every i in [0, count), at most `threads` at a time. The first exception
// stops the handing out of further work and is rethrown once the running calls finish.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cenv::util {

/// The number of worker threads to use by default: the machine's cores (at least 1).
inline std::size_t default_threads() {
    return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

inline void parallel_for(std::size_t count, std::size_t threads,
                         const std::function<void(std::size_t)>& fn) {
    threads = std::min(std::max<std::size_t>(threads, 1), count);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    const auto work = [&] {
        while (!failed.load(std::memory_order_relaxed)) {
            const std::size_t i = next.fetch_add(1);
            if (i >= count) {
                return;
            }
            try {
                fn(i);
            } catch (...) {  // handed to the caller below, never dropped
                const std::lock_guard lock(error_mutex);
                if (!error) {
                    error = std::current_exception();
                }
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads > 0 ? threads - 1 : 0);
    for (std::size_t t = 1; t < threads; ++t) {
        pool.emplace_back(work);
    }
    work();
    for (auto& thread : pool) {
        thread.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
}

}  // namespace cenv::util
