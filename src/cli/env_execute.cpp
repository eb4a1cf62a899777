#include "cli/env_execute.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "channels/channel_resolve.hpp"
#include "channels/downloader.hpp"
#include "cli/channel_args.hpp"
#include "cli/progress.hpp"
#include "cli/transaction_plan.hpp"
#include "config/pip_conf.hpp"
#include "install/download_fetch.hpp"
#include "install/error.hpp"
#include "install/transaction.hpp"
#include "specs/prefix_record.hpp"
#include "util/error.hpp"

namespace cenv::cli {

namespace fs = std::filesystem;

namespace {

// The command line as typed, for the history's `# cmd:` line.
std::string command_line() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string out;
    for (const char c : all) {
        out += c == '\0' ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

// Whether the user agrees; asked only on a terminal (as micromamba does), never with -y or
// --json.
bool confirmed(const EnvOptions& options) {
    if (options.yes || options.json || ::isatty(STDIN_FILENO) == 0) {
        return true;
    }
    std::cerr << "\nConfirm changes: [Y/n] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        return false;
    }
    while (!answer.empty() && answer.back() == ' ') {
        answer.pop_back();
    }
    return answer.empty() || answer == "y" || answer == "Y" || answer == "yes" || answer == "Yes";
}

// Progress on stderr: one line rewritten in place on a terminal; warnings and package
// messages always.
class ProgressView {
  public:
    explicit ProgressView(bool json) : json_(json), tty_(::isatty(STDERR_FILENO) != 0) {}
    ~ProgressView() { clear(); }
    ProgressView(const ProgressView&) = delete;
    ProgressView& operator=(const ProgressView&) = delete;

    void operator()(const install::TransactionEvent& e) {
        using Kind = install::TransactionEvent::Kind;
        switch (e.kind) {
            case Kind::prepared:
                status(fmt::format("Preparing packages {}/{}", e.done, e.total));
                break;
            case Kind::unlinking:
                status("Removing " + e.text);
                break;
            case Kind::linked:
                status(fmt::format("Linking packages {}/{}", e.done, e.total));
                break;
            case Kind::compiling:
                status(fmt::format("Compiling {} .pyc files", e.total));
                break;
            case Kind::script:
                status("Running the post-link script of " + e.text);
                break;
            case Kind::warning:
                clear();
                std::cerr << "warning: " << e.text << '\n';
                break;
            case Kind::message:
                clear();
                // conda shows package messages on stdout (stderr with --json).
                (json_ ? std::cerr : std::cout) << "Message from " << e.package << ":\n"
                                                << e.text << (e.text.ends_with('\n') ? "" : "\n");
                break;
            case Kind::rolling_back:
                clear();
                std::cerr << "Rolling back the transaction...\n";
                break;
        }
    }

  private:
    void status(const std::string& text) {
        if (tty_ && !json_) {
            std::cerr << "\r\033[K" << text << std::flush;
            shown_ = true;
        }
    }
    void clear() {
        if (shown_) {
            std::cerr << "\r\033[K" << std::flush;
            shown_ = false;
        }
    }

    bool json_;
    bool tty_;
    bool shown_ = false;
};

}  // namespace

install::PackageCache package_cache(const config::Settings& settings, const fs::path& root) {
    const auto& dirs = settings.list("pkgs_dirs");
    if (dirs.empty()) {
        return install::PackageCache::at_root(root);
    }
    return install::PackageCache(std::vector<fs::path>(dirs.begin(), dirs.end()));
}

std::set<std::string> cached_dists(const install::PackageCache& cache,
                                   const std::vector<specs::PackageRecord>& records) {
    std::set<std::string> out;
    for (const auto& record : records) {
        if (cache.find_tree(record) || cache.find_archive(record)) {
            out.insert(record.dist_str());
        }
    }
    return out;
}

std::optional<install::PrefixLock> lock_prefix_if_present(const fs::path& prefix) {
    std::error_code ec;
    if (!fs::is_directory(prefix, ec)) {
        return std::nullopt;
    }
    auto lock = install::PrefixLock::acquire(prefix, [&] {
        std::cerr << "Waiting for another cenv working on " << prefix.string() << "...\n";
    });
    if (lock.recovery() == install::Recovery::rolled_back) {
        std::cerr << "note: an interrupted cenv transaction in " << prefix.string()
                  << " was rolled back; the environment is as it was before it\n";
    } else if (lock.recovery() == install::Recovery::completed) {
        std::cerr << "note: an interrupted cenv transaction in " << prefix.string()
                  << " was completed\n";
    }
    if (!fs::is_directory(prefix, ec)) {
        return std::nullopt;  // the undone transaction had created the environment
    }
    return lock;
}

void check_create_target(const fs::path& prefix, bool force) {
    std::error_code ec;
    if (!fs::exists(prefix, ec)) {
        return;
    }
    if (!fs::is_directory(prefix, ec)) {
        throw util::Error(fmt::format("'{}' exists and is not a folder", prefix.string()),
                          "choose another name or path for the environment");
    }
    if (fs::is_empty(prefix, ec)) {
        return;
    }
    const bool environment = fs::is_directory(prefix / "conda-meta", ec);
    if (!environment) {
        throw util::Error(
            fmt::format("'{}' is a folder with files in it, not an environment", prefix.string()),
            "create the environment in a new or empty folder");
    }
    if (!force) {
        throw util::Error(fmt::format("an environment already exists at '{}'", prefix.string()),
                          "add packages to it with 'cenv install', or replace it with "
                          "'cenv create --force'");
    }
}

int execute_transaction(const EnvOptions& options, const config::Settings& settings,
                        const PlannedTransaction& planned,
                        std::optional<install::PrefixLock>& lock) {
    const fs::path root = config::root_prefix(options.root);
    install::PackageCache cache = package_cache(settings, root);
    const auto& solution = planned.solution;
    if (!confirmed(options)) {
        std::cerr << "Aborted: nothing was changed.\n";
        return 1;
    }
    if (!lock) {
        lock.emplace(install::PrefixLock::create(planned.prefix));
    }

    install::TransactionRequest request;
    request.unlink = solution.unlink;
    request.link = solution.link;
    request.final_state = solution.final_state;
    request.specs = planned.specs;
    request.history_action = planned.remove ? "remove" : "update";
    request.command_line = command_line();
    request.created_prefix = lock->created();
    if (planned.create && options.force) {
        // Replacing an environment: everything it has goes.
        for (auto& record : specs::load_prefix_records(planned.prefix)) {
            request.unlink.push_back(std::move(record));
        }
    }

    install::TransactionOptions run_options;
    run_options.root_prefix = root;
    run_options.safety_checks = install::parse_safety_checks(
        options.safety_checks.empty() ? settings.string("safety_checks") : options.safety_checks);
    // Archives of http(s) channels come through the downloader, mirrors first.
    const config::RemoteSettings remote = settings.remote();
    channels::Downloader downloader(remote);
    StderrProgress download_progress(std::cerr, StderrProgress::stderr_is_terminal(),
                                     options.verbose);
    downloader.set_progress(&download_progress);
    run_options.fetch = install::fetch_by_scheme(
        remote.offline
            ? install::refuse_downloads_offline()
            : install::download_archives(
                  downloader,
                  channels::resolve_channels(
                      channel_texts(options.channels, options.override_channels, settings),
                      settings.channel_settings()),
                  remote.mirror_only));
    ProgressView view(options.json);
    run_options.on_event = [&view](const install::TransactionEvent& e) { view(e); };

    install::TransactionResult result;
    try {
        result = install::run_transaction(*lock, cache, request, run_options);
    } catch (const util::Error& e) {
        if (options.json) {
            std::cout << nlohmann::json{{"success", false},
                                        {"dry_run", false},
                                        {"prefix", planned.prefix.string()},
                                        {"error", e.what()},
                                        {"hint", e.hint()}}
                             .dump(2)
                      << '\n';
        }
        throw;
    }
    if (planned.create) {
        config::write_pip_conf(planned.prefix, settings);
    }
    if (const char* v = std::getenv("CENV_TIMINGS");
        v != nullptr && *v != '\0' && std::string_view(v) != "0") {
        for (const auto& [name, seconds] : result.phases) {
            std::cerr << fmt::format("timing: {:.3f} s transaction: {}\n", seconds, name);
        }
    }

    if (options.json) {
        std::set<std::string> not_fetched;
        for (std::size_t i = 0; i < solution.link.size(); ++i) {
            not_fetched.insert(solution.link[i].dist_str());
        }
        for (const std::size_t i : result.fetched) {
            not_fetched.erase(solution.link[i].dist_str());
        }
        nlohmann::json out = {{"success", true},
                              {"dry_run", false},
                              {"prefix", planned.prefix.string()},
                              {"actions", actions_json(planned.prefix, solution, not_fetched)},
                              {"warnings", result.warnings}};
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::cout << fmt::format("\nDone: {} package{} linked, {} unlinked in {}.\n",
                             solution.link.size(), solution.link.size() == 1 ? "" : "s",
                             request.unlink.size(), planned.prefix.string());
    if (planned.create) {
        const std::string name = options.name.empty() ? planned.prefix.string() : options.name;
        std::cout << fmt::format("\nTo use it: cenv activate {}  (or: cenv run -{} {} COMMAND)\n",
                                 name, options.name.empty() ? "p" : "n", name);
    }
    return 0;
}

}  // namespace cenv::cli
