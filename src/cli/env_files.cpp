#include "cli/env_files.hpp"

#include <algorithm>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/env_execute.hpp"
#include "cli/env_target.hpp"
#include "cli/transaction_plan.hpp"
#include "config/environment_file.hpp"
#include "config/settings.hpp"
#include "install/explicit_records.hpp"
#include "install/pip_install.hpp"
#include "shell/env_vars.hpp"
#include "specs/platform.hpp"
#include "util/error.hpp"

namespace cenv::cli {

namespace fs = std::filesystem;

namespace {

/// What the files bring besides specs and channels.
struct FileRequest {
    std::vector<std::string> pip;
    fs::path pip_directory;
    std::vector<std::pair<std::string, std::string>> variables;
    std::vector<specs::ExplicitPackage> explicit_packages;
    std::string explicit_source;
};

/// Reads `files` into `options`: -n / -p win over the files' name and prefix; the files'
/// channels follow those given with -c (`nodefaults` among them means --override-channels,
/// as in conda); their specs follow those on the command line.
FileRequest read_files(const std::vector<std::string>& files, EnvOptions& options) {
    const std::string platform =
        options.platform.empty() ? std::string(specs::build_subdir()) : options.platform;
    FileRequest request;
    std::string name;
    std::string prefix;
    for (const auto& path : files) {
        const config::EnvironmentFile env = config::read_environment_file(path, platform);
        for (const auto& warning : env.warnings) {
            std::cerr << "warning: " << warning << '\n';
        }
        if (env.is_explicit) {
            if (files.size() > 1 || !options.specs.empty()) {
                throw util::Error(
                    fmt::format("{} is an explicit file: it installs exactly its packages, so it "
                                "cannot be combined with other files or specs",
                                path),
                    "give it alone: cenv create -n NAME --file " + path);
            }
            request.explicit_packages = env.explicit_packages;
            request.explicit_source = path;
        }
        if (name.empty() && prefix.empty()) {
            name = env.name;
            prefix = env.prefix;
        }
        for (const auto& channel : env.channels) {
            if (channel == "nodefaults") {
                options.override_channels = true;
            } else if (std::find(options.channels.begin(), options.channels.end(), channel) ==
                       options.channels.end()) {
                options.channels.push_back(channel);
            }
        }
        options.specs.insert(options.specs.end(), env.dependencies.begin(), env.dependencies.end());
        if (!env.pip.empty()) {
            request.pip.insert(request.pip.end(), env.pip.begin(), env.pip.end());
            request.pip_directory = env.directory.empty() ? fs::path(".") : env.directory;
        }
        request.variables.insert(request.variables.end(), env.variables.begin(),
                                 env.variables.end());
    }
    if (options.name.empty() && options.prefix.empty()) {
        options.name = name;
        options.prefix = name.empty() ? prefix : std::string{};
    }
    if (options.name.empty() && options.prefix.empty()) {
        throw util::Error(fmt::format("no environment given: {} has no name", files.front()),
                          "name it with -n NAME or -p PATH, or add 'name: NAME' to the file");
    }
    return request;
}

config::Settings load_settings(const EnvOptions& options) {
    config::LoadOptions load;
    load.root = options.root;
    if (options.offline) {
        load.overrides.push_back({"offline", "true", "--offline"});
    }
    return config::Settings::load(load);
}

/// An explicit file: its packages exactly, no solve.
int run_explicit(const EnvOptions& options, const FileRequest& request) {
    const config::Settings settings = load_settings(options);
    const fs::path root = config::root_prefix(options.root);
    const fs::path prefix = target_prefix(options.name, options.prefix, settings, root);
    std::optional<install::PrefixLock> lock = lock_prefix_if_present(prefix);
    check_create_target(prefix, options.force);
    install::PackageCache cache = package_cache(settings, root);

    solver::Solution solution;
    if (options.dry_run) {  // what the URLs say; nothing is fetched
        for (const auto& package : request.explicit_packages) {
            solution.link.push_back(package.record());
        }
    } else {
        install::PrepareOptions prepare;
        prepare.fetch = install::fetch_by_scheme();
        solution.link = install::explicit_records(cache, request.explicit_packages, prepare);
    }
    solution.final_state = solution.link;
    const std::set<std::string> cached = cached_dists(cache, solution.link);
    if (options.dry_run) {
        if (options.json) {
            std::cout << nlohmann::json{{"success", true},
                                        {"dry_run", true},
                                        {"prefix", prefix.string()},
                                        {"actions", actions_json(prefix, solution, cached)}}
                             .dump(2)
                      << '\n';
        } else {
            print_plan(prefix, solution, cached);
        }
        return 0;
    }
    if (!options.json) {
        print_plan(prefix, solution, cached);
    }
    PlannedTransaction planned;
    planned.prefix = prefix;
    for (const auto& record : solution.link) {
        planned.specs.push_back(record.name + "==" + record.version + "=" + record.build);
    }
    planned.solution = std::move(solution);
    planned.create = true;
    return execute_transaction(options, settings, planned, lock);
}

fs::path resolved_prefix(const EnvOptions& options) {
    return target_prefix(options.name, options.prefix, load_settings(options),
                         config::root_prefix(options.root));
}

/// After the conda packages: the pip section with the environment's own pip.
int install_pip_section(const EnvOptions& options, const FileRequest& request) {
    const config::Settings settings = load_settings(options);
    const fs::path prefix = resolved_prefix(options);
    install::PipInstallOptions pip;
    pip.index_url = settings.string("pip_index_url");
    pip.trusted_hosts = settings.list("pip_trusted_host");
    pip.working_directory = request.pip_directory;
    if (!options.json) {
        std::cerr << fmt::format(
            "Installing the pip section ({} line{}) with {}/bin/python -m "
            "pip{}...\n",
            request.pip.size(), request.pip.size() == 1 ? "" : "s", prefix.string(),
            pip.index_url.empty() ? "" : " from " + pip.index_url);
    }
    const install::PipInstallResult result = install::pip_install(prefix, request.pip, pip);
    if (!options.json) {
        std::cout << fmt::format("pip installed: {}\n",
                                 result.installed.empty()
                                     ? std::string("nothing new")
                                     : fmt::format("{}", fmt::join(result.installed, ", ")));
    }
    return 0;
}

}  // namespace

int run_with_environment_files(EnvOptions options, const std::vector<std::string>& files,
                               solver::Request::Op op, const char* command) {
    const FileRequest request = read_files(files, options);
    if (std::string_view(command) == "env update") {
        // conda creates the environment an update names when it is not there yet.
        std::error_code ec;
        command =
            fs::is_directory(resolved_prefix(options) / "conda-meta", ec) ? "install" : "create";
    }
    if (!request.explicit_source.empty()) {
        if (op != solver::Request::Op::install || std::string_view(command) != "create") {
            throw util::Error(fmt::format("{} is an explicit file, which only creates environments",
                                          request.explicit_source),
                              "cenv create -n NAME --file " + request.explicit_source);
        }
        return run_explicit(options, request);
    }
    const int status = run_env_command(options, op, command);
    if (status != 0) {
        return status;
    }
    if (options.dry_run) {
        if (!options.json && !request.pip.empty()) {
            std::cerr << fmt::format("note: then pip would install the pip section: {}\n",
                                     fmt::join(request.pip, ", "));
        }
        return 0;
    }
    if (!request.variables.empty()) {
        std::vector<shell::EnvVar> vars;
        for (const auto& [name, value] : request.variables) {
            vars.push_back({name, value});
        }
        shell::set_state_variables(resolved_prefix(options), vars);
    }
    return request.pip.empty() ? 0 : install_pip_section(options, request);
}

}  // namespace cenv::cli
