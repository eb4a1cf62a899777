#include "doctor/checks.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "doctor/arch_table.hpp"

namespace cenv::doctor {

namespace {

using solver::CudaRelease;

std::string joined(const std::vector<std::string>& items, std::size_t at_most = 4) {
    if (items.size() <= at_most) {
        return fmt::format("{}", fmt::join(items, ", "));
    }
    return fmt::format("{} and {} more",
                       fmt::join(items.begin(), items.begin() + static_cast<long>(at_most), ", "),
                       items.size() - at_most);
}

class Checker {
  public:
    Checker(const Facts& facts, const solver::VariantTable& table) : facts_(facts), table_(table) {
        if (facts.cuda.driver) {
            driver_ = CudaRelease::parse(facts.cuda.driver->cuda_version);
        }
        if (facts.environment) {
            env_ = facts.environment->selector;
            imported_ = imported_torch(facts.environment->torch, facts.environment->torch_file);
        } else {
            env_ = "-n NAME";
        }
    }

    std::vector<Finding> run() {
        check_gpus();
        check_driver();
        check_nvcc();
        if (const auto* env = environment()) {
            add(Section::environment, "environment",
                env->package_count == 0 ? Status::warning : Status::ok,
                fmt::format("environment {} ({}): {} packages", env->prefix.string(), env_,
                            env->package_count),
                env->package_count == 0 ? "it has no packages: `cenv install " + env_ + " ...`"
                                        : std::string());
            for (const auto& problem : env->problems) {
                add(Section::environment, "environment", Status::warning,
                    fmt::format("cannot read {}", problem),
                    "reinstall the package it belongs to, or remove what is damaged");
            }
            check_runtime(*env);
            check_torch();
            check_duplicates(*env);
            check_torch_arch(*env);
        }
        check_library_path();
        check_mirrors();
        return std::move(out_);
    }

  private:
    const Facts& facts_;
    const solver::VariantTable& table_;
    std::optional<CudaRelease> driver_;  // the CUDA release the driver supports
    std::string env_;                    // "-n comfy", for fixes
    std::optional<ImportedTorch> imported_;
    std::vector<Finding> out_;

    [[nodiscard]] const EnvironmentFacts* environment() const {
        return facts_.environment ? &*facts_.environment : nullptr;
    }

    void add(Section section, std::string check, Status status, std::string text,
             std::string fix = {}) {
        out_.push_back({section, std::move(check), status, std::move(text), std::move(fix)});
    }

    [[nodiscard]] std::string torch_label() const {
        const auto& t = *imported_;
        if (t.build == nullptr) {
            return fmt::format("PyTorch {}", t.version);
        }
        if (t.build->installer == TorchBuild::Installer::pip) {
            return fmt::format("PyTorch {} (pip)", t.version);
        }
        return fmt::format("PyTorch {} (conda, {})", t.version, t.build->build);
    }

    [[nodiscard]] std::string driver_words() const {
        const auto& d = *facts_.cuda.driver;
        return d.driver_version.empty()
                   ? fmt::format("this driver supports CUDA {}", d.cuda_version)
                   : fmt::format("this driver ({}) supports CUDA {}", d.driver_version,
                                 d.cuda_version);
    }

    /// "driver ≥ 550.54.14", or the release when the table does not know it.
    [[nodiscard]] std::string driver_needed(CudaRelease release) const {
        if (const auto req = table_.driver_for(release.str())) {
            return fmt::format("driver ≥ {}", req->linux_driver);
        }
        return fmt::format("a driver that supports CUDA {}", release.str());
    }

    /// The command that puts a torch for this driver in the environment.
    [[nodiscard]] std::string torch_for_driver_fix() const {
        const auto variant = driver_ ? variant_for_driver(*driver_, table_) : std::nullopt;
        if (!variant) {
            return "upgrade the driver: it is older than any PyTorch CUDA build needs (CUDA "
                   "11.7 or newer)";
        }
        return install_torch(*variant);
    }

    /// `cenv install -n t torch=cu121`, after `pip uninstall torch` when pip's torch is the
    /// one imported (else the new conda copy would sit under pip's files).
    [[nodiscard]] std::string install_torch(const std::string& variant) const {
        const bool pip = imported_ && imported_->build != nullptr &&
                         imported_->build->installer == TorchBuild::Installer::pip;
        return fmt::format("{}`cenv install {} torch={}`",
                           pip ? "`pip uninstall torch`, then " : "", env_, variant);
    }

    /// The detection steps that reached a driver library or nvidia-smi and got no answer (as
    /// opposed to finding none): a driver that is installed but broken.
    [[nodiscard]] std::vector<std::string> unanswered_probes() const {
        std::vector<std::string> out;
        for (const auto& line : facts_.cuda.log) {
            const bool absent = line.starts_with("cache (") ||
                                line.find(": no lib") != std::string::npos ||
                                line.find("cannot load it") != std::string::npos ||
                                line.find("' not found") != std::string::npos;
            if (!absent) {
                out.push_back(line);
            }
        }
        return out;
    }

    /// What to do about a driver that does not answer, by what it said.
    static std::string broken_driver_fix(const std::string& said) {
        if (said.find("VERSION_MISMATCH") != std::string::npos) {
            return "the driver's kernel module and its libraries differ, usually after a driver "
                   "update without a reboot: reboot (or reload the nvidia kernel modules)";
        }
        if (said.find("DRIVER_NOT_LOADED") != std::string::npos) {
            return "the kernel module is not loaded: `sudo modprobe nvidia`; if that fails, "
                   "`dmesg` says why (Secure Boot can block it)";
        }
        if (said.find("NO_PERMISSION") != std::string::npos) {
            return "this user may not open /dev/nvidia*: check its groups, or the container's "
                   "device options";
        }
        if (said.find("NO_DEVICE") != std::string::npos ||
            said.find("No devices") != std::string::npos) {
            return "the driver sees no GPU: check `nvidia-smi`; in a container, pass the GPUs "
                   "(`docker run --gpus all`)";
        }
        if (said.find("timed out") != std::string::npos) {
            return "the driver hangs: check `nvidia-smi` and `dmesg`";
        }
        return "run `nvidia-smi` and check `dmesg`";
    }

    void check_gpus() {
        if (!facts_.cuda.driver) {
            if (const auto broken = unanswered_probes(); !broken.empty()) {
                const std::string said = fmt::format("{}", fmt::join(broken, "; "));
                add(Section::machine, "driver", Status::warning,
                    fmt::format("an NVIDIA driver is installed but does not answer ({}): only "
                                "CPU builds run until it does",
                                said),
                    broken_driver_fix(said));
                return;
            }
            add(Section::machine, "gpu", Status::info,
                "no NVIDIA driver found: only CPU builds run here",
                "here, use CPU builds (`torch=cpu`); to build an environment for a GPU "
                "machine, give its driver's CUDA version: "
                "`CONDA_OVERRIDE_CUDA=12.1 cenv create -n NAME torch=cu121`");
            return;
        }
        const auto& gpus = facts_.cuda.driver->gpus;
        if (gpus.empty()) {
            add(Section::machine, "gpu", Status::info, "the driver lists no GPUs");
        }
        for (std::size_t i = 0; i < gpus.size(); ++i) {
            const auto& gpu = gpus[i];
            add(Section::machine, "gpu", Status::ok,
                fmt::format("GPU {}: {}, compute capability {}", i, gpu.name,
                            gpu.compute_capability.empty() ? "unknown" : gpu.compute_capability));
        }
    }

    void check_driver() {
        if (facts_.cuda.driver) {
            const auto& d = *facts_.cuda.driver;
            add(Section::machine, "driver", Status::ok,
                fmt::format("NVIDIA driver {} supports CUDA {} (__cuda={}; {}{})",
                            d.driver_version.empty() ? "(version unknown)" : d.driver_version,
                            d.cuda_version, d.cuda_version, d.source,
                            facts_.cuda.from_cache ? ", cached" : ""));
        }
        if (!facts_.cuda_override) {
            return;
        }
        const auto& [variable, value] = *facts_.cuda_override;
        const std::string unset = fmt::format(
            "`unset {}` unless you are building an environment for another machine", variable);
        if (value.empty()) {
            add(Section::machine, "driver", driver_ ? Status::warning : Status::info,
                driver_ ? fmt::format("{} is empty: solves assume no GPU although the driver "
                                      "supports CUDA {}",
                                      variable, driver_->str())
                        : fmt::format("{} is empty: solves assume no GPU", variable),
                driver_ ? unset : std::string());
            return;
        }
        if (!driver_) {
            add(Section::machine, "driver", Status::info,
                fmt::format("{}={}: solves build for a machine whose driver supports CUDA {}",
                            variable, value, value));
        } else if (CudaRelease::parse(value) != driver_) {
            add(Section::machine, "driver", Status::warning,
                fmt::format("{}={}: solves assume CUDA {}, not the driver's {}", variable, value,
                            value, driver_->str()),
                unset);
        }
    }

    /// What nvcc must match to build extensions for the environment, and in which words.
    [[nodiscard]] std::optional<std::pair<CudaRelease, std::string>> nvcc_target() const {
        if (imported_ && imported_->kind == TorchKind::cuda && imported_->cuda) {
            return std::pair{*imported_->cuda,
                             std::string("the environment's PyTorch is built for")};
        }
        if (const auto* env = environment(); env != nullptr && env->runtime) {
            return std::pair{env->runtime->release,
                             std::string("the environment's CUDA runtime is")};
        }
        return std::nullopt;
    }

    void check_nvcc() {
        const auto target = nvcc_target();
        if (!facts_.nvcc) {
            add(Section::machine, "nvcc", Status::info,
                "no nvcc on PATH (it is only needed to build CUDA extensions)",
                target ? fmt::format("`cenv install {} cuda-nvcc={}` gives the environment its "
                                     "own (activate it to put it first on PATH)",
                                     env_, target->first.str())
                       : std::string());
            return;
        }
        const auto& nvcc = *facts_.nvcc;
        const std::string where = nvcc.path.string();
        if (!nvcc.release) {
            add(Section::machine, "nvcc", Status::warning,
                fmt::format("nvcc on PATH ({}) could not be read: {}", where, nvcc.failure),
                fmt::format("repair or remove that CUDA toolkit, or take {} off PATH",
                            nvcc.path.parent_path().string()));
            return;
        }
        const CudaRelease n = *nvcc.release;
        const std::string name =
            fmt::format("nvcc {}", nvcc.version.empty() ? n.str() : nvcc.version);
        bool fine = true;
        if (target && target->first != n) {
            fine = false;
            const CudaRelease t = target->first;
            const bool torch = target->second.find("PyTorch") != std::string::npos;
            const std::string effect =
                !torch ? fmt::format("extensions built with it need the CUDA {} runtime", n.str())
                : t.major != n.major
                    ? fmt::format(
                          "PyTorch refuses to build CUDA extensions with it (\"The "
                          "detected CUDA version ({}) mismatches the version that was "
                          "used to compile PyTorch ({})\")",
                          n.str(), t.str())
                    : "PyTorch builds extensions with it but warns that the versions differ";
            add(Section::machine, "nvcc", Status::warning,
                fmt::format("{} on PATH ({}) is CUDA {}; {} CUDA {}: {}", name, where, n.str(),
                            target->second, t.str(), effect),
                fmt::format("put a CUDA {} nvcc first on PATH: `cenv install {} cuda-nvcc={}`, "
                            "then activate the environment",
                            t.str(), env_, t.str()));
        }
        if (driver_ && n > *driver_) {
            fine = false;
            add(Section::machine, "nvcc", Status::warning,
                fmt::format("{} on PATH ({}) is newer than the driver's CUDA {}: what it builds "
                            "needs {}",
                            name, where, driver_->str(), driver_needed(n)),
                fmt::format("upgrade the driver, or build with a CUDA {} nvcc", driver_->str()));
        }
        if (fine) {
            add(Section::machine, "nvcc", Status::ok,
                target ? fmt::format("{} on PATH ({}) matches: {} CUDA {}", name, where,
                                     target->second, target->first.str())
                       : fmt::format("{} on PATH ({})", name, where));
        }
    }

    [[nodiscard]] std::optional<RuntimeFacts> runtime(const EnvironmentFacts& env) const {
        if (env.runtime) {
            return env.runtime;
        }
        if (imported_ && imported_->kind == TorchKind::cuda && imported_->cuda) {
            return RuntimeFacts{*imported_->cuda,
                                fmt::format("built into {}", imported_->build != nullptr
                                                                 ? imported_->build->describe()
                                                                 : "torch " + imported_->version)};
        }
        return std::nullopt;
    }

    void check_runtime(const EnvironmentFacts& env) {
        const auto rt = runtime(env);
        if (!rt) {
            add(Section::environment, "cuda_runtime", Status::info,
                "no CUDA runtime in the environment");
            return;
        }
        const CudaRelease r = rt->release;
        if (!driver_) {
            add(Section::environment, "cuda_runtime", Status::info,
                fmt::format("CUDA runtime {} ({}): the machine that runs it needs {}", r.str(),
                            rt->source, driver_needed(r)));
            return;
        }
        if (r <= *driver_) {
            add(Section::environment, "cuda_runtime", Status::ok,
                fmt::format("CUDA runtime {} ({}); the driver supports CUDA {}", r.str(),
                            rt->source, driver_->str()));
            return;
        }
        const bool torch = imported_ && imported_->kind == TorchKind::cuda;
        const auto req = table_.driver_for(r.str());
        std::string fix =
            req ? fmt::format("upgrade the driver to ≥ {}", req->linux_driver)
                : fmt::format("upgrade the driver to one that supports CUDA {}", r.str());
        if (torch) {
            fix += " or " + torch_for_driver_fix();
        } else {
            fix += fmt::format(" or `cenv install {} cuda-version={}`", env_, driver_->str());
        }
        if (r.major == driver_->major) {
            add(Section::environment, "cuda_runtime", Status::warning,
                fmt::format("the environment's CUDA runtime {} ({}) needs {}; {}: it runs "
                            "through minor-version compatibility, but code compiled for CUDA {} "
                            "(PTX) fails to load",
                            r.str(), rt->source, driver_needed(r), driver_words(), r.str()),
                std::move(fix));
            return;
        }
        std::string family;
        if (const auto f = table_.family_driver(r.str()); f && r.major > driver_->major) {
            family = fmt::format(" (≥ {} for any CUDA {}.x through minor-version compatibility)",
                                 f->linux_driver, r.major);
        }
        add(Section::environment, "cuda_runtime", Status::error,
            fmt::format("the environment's CUDA runtime {} ({}) needs {}{}; {}", r.str(),
                        rt->source, driver_needed(r), family, driver_words()),
            std::move(fix));
    }

    void check_torch() {
        if (!imported_) {
            add(Section::environment, "torch", Status::info, "no PyTorch in the environment");
            return;
        }
        const ImportedTorch& t = *imported_;
        const std::string label = torch_label();
        switch (t.kind) {
            case TorchKind::cuda: {
                const std::string built =
                    t.cuda ? fmt::format("built for CUDA {}", t.cuda->str()) : "a CUDA build";
                if (driver_) {
                    add(Section::environment, "torch", Status::ok,
                        fmt::format("{}, {}", label, built));
                } else {
                    add(Section::environment, "torch", Status::warning,
                        fmt::format("{} is {}, but this machine has no NVIDIA driver: "
                                    "torch.cuda.is_available() will be False",
                                    label, built),
                        fmt::format("for this machine: `cenv install {} torch=cpu`; keep it if "
                                    "the environment is meant for a GPU machine",
                                    env_));
                }
                return;
            }
            case TorchKind::cpu:
                if (driver_) {
                    add(Section::environment, "torch", Status::error,
                        fmt::format("{} is a CPU build: torch.cuda.is_available() will be False "
                                    "on this machine's GPU",
                                    label),
                        torch_for_driver_fix());
                } else {
                    add(Section::environment, "torch", Status::ok,
                        fmt::format("{}, a CPU build (no GPU here)", label));
                }
                return;
            case TorchKind::rocm:
                add(Section::environment, "torch", driver_ ? Status::error : Status::info,
                    fmt::format("{} is built for AMD GPUs (ROCm){}", label,
                                driver_ ? ": it cannot use this NVIDIA GPU" : ""),
                    driver_ ? torch_for_driver_fix() : std::string());
                return;
            case TorchKind::unknown:
                break;
        }
        add(Section::environment, "torch", Status::info,
            fmt::format("{}: its build (CUDA or CPU) is not recorded", label),
            "in the environment, `python -c \"import torch; print(torch.version.cuda)\"` says");
    }

    void check_duplicates(const EnvironmentFacts& env) {
        const auto conda = std::find_if(env.torch.begin(), env.torch.end(), [](const auto& b) {
            return b.installer == TorchBuild::Installer::conda;
        });
        const auto pip = std::find_if(env.torch.begin(), env.torch.end(), [](const auto& b) {
            return b.installer == TorchBuild::Installer::pip;
        });
        if (conda == env.torch.end() || pip == env.torch.end()) {
            return;
        }
        std::string imported;
        if (env.torch_file) {
            imported = fmt::format("; Python imports {} ({})", env.torch_file->version,
                                   env.torch_file->path);
        }
        add(Section::environment, "torch_duplicates", Status::error,
            fmt::format("PyTorch is installed twice: {} and {}{}", conda->describe(),
                        pip->describe(), imported),
            fmt::format("keep one: `pip uninstall torch`, then `cenv install {} "
                        "--force-reinstall pytorch` (its files were overwritten); or "
                        "`cenv remove {} pytorch`",
                        env_, env_));
    }

    /// A PyTorch variant whose newest build has machine code for `gpu`: the newest such
    /// release this driver runs, else the oldest (which needs a newer driver); nullopt when no
    /// variant in cenv's tables has it.
    [[nodiscard]] std::optional<std::string> variant_for_arch(ComputeCapability gpu) const {
        std::optional<std::pair<CudaRelease, std::string>> runs;
        std::optional<std::pair<CudaRelease, std::string>> oldest;
        for (const auto& selector : table_.selectors) {
            const auto release = CudaRelease::parse(selector.cuda);
            if (selector.kind != solver::VariantKind::cuda || !release) {
                continue;
            }
            const ArchTableEntry* newest = nullptr;
            for (const auto& e : ArchTable::builtin().entries()) {
                if (e.family == BuildFamily::pytorch_org &&
                    std::find(e.cuda.begin(), e.cuda.end(), *release) != e.cuda.end()) {
                    newest = &e;
                }
            }
            if (newest == nullptr || newest->archs.support(gpu) != ArchSupport::native) {
                continue;
            }
            if (driver_ && *release <= *driver_ && (!runs || runs->first < *release)) {
                runs = {*release, selector.name};
            }
            if (!oldest || *release < oldest->first) {
                oldest = {*release, selector.name};
            }
        }
        if (runs) {
            return runs->second;
        }
        return oldest ? std::optional(oldest->second) : std::nullopt;
    }

    void check_torch_arch(const EnvironmentFacts& env) {
        if (!imported_ || imported_->kind != TorchKind::cuda || !facts_.cuda.driver) {
            return;
        }
        const auto& gpus = facts_.cuda.driver->gpus;
        std::vector<std::pair<std::size_t, ComputeCapability>> known;
        for (std::size_t i = 0; i < gpus.size(); ++i) {
            if (const auto cc = ComputeCapability::parse(gpus[i].compute_capability)) {
                if (std::none_of(known.begin(), known.end(),
                                 [&](const auto& k) { return k.second == *cc; })) {
                    known.emplace_back(i, *cc);
                }
            }
        }
        if (known.empty()) {
            return;
        }
        const TorchArchFacts& archs = env.torch_archs;
        if (!archs.archs) {
            add(Section::environment, "torch_arch", Status::info,
                fmt::format("cannot tell which GPU architectures PyTorch {} carries{}",
                            imported_->version,
                            archs.failure.empty() ? "" : " (" + archs.failure + ")"),
                "in the environment, `python -c \"import torch; "
                "print(torch.cuda.get_arch_list())\"` "
                "lists them");
            return;
        }
        const std::string list = archs.archs->str();
        for (const auto& [index, cc] : known) {
            const std::string gpu =
                fmt::format("GPU {} ({}, {})", index, gpus[index].name, cc.sm());
            const ArchSupport support = archs.archs->support(cc);
            if (support == ArchSupport::native) {
                add(Section::environment, "torch_arch", Status::ok,
                    fmt::format("PyTorch's GPU code covers {}: {} (from {})", gpu, list,
                                archs.source));
                continue;
            }
            std::string fix;
            if (const auto variant = variant_for_arch(cc)) {
                const auto release =
                    CudaRelease::parse(table_.selector(*variant)->cuda).value_or(CudaRelease{});
                fix = fmt::format("install a build with {}: {}{}", cc.sm(), install_torch(*variant),
                                  driver_ && release > *driver_
                                      ? fmt::format(" (needs {})", driver_needed(release))
                                      : std::string());
            } else {
                fix = fmt::format(
                    "no PyTorch build in cenv's table has {}; an older PyTorch "
                    "release may (pytorch.org/get-started/previous-versions)",
                    cc.sm());
            }
            if (support == ArchSupport::ptx) {
                add(Section::environment, "torch_arch", Status::warning,
                    fmt::format("{} is newer than PyTorch's GPU code ({}; from {}): it runs only "
                                "through PTX compiled at first use (slow start; some kernels fail)",
                                gpu, list, archs.source),
                    std::move(fix));
            } else {
                add(Section::environment, "torch_arch", Status::error,
                    fmt::format("{} is not among PyTorch's GPU architectures ({}; from {}): "
                                "\"{} is not compatible with the current PyTorch installation\", "
                                "then \"no kernel image is available for execution on the device\"",
                                gpu, list, archs.source, cc.sm()),
                    std::move(fix));
            }
        }
    }

    void check_library_path() {
        const auto* env = environment();
        const Section section = env != nullptr ? Section::environment : Section::machine;
        std::vector<std::string> outside;
        for (const auto& dir : facts_.library_dirs) {
            if (!dir.in_environment) {
                outside.push_back(
                    dir.cudart ? fmt::format("{} (CUDA {})", dir.dir.string(), dir.cudart->str())
                               : dir.dir.string());
            }
        }
        if (env != nullptr && !env->cuda_libraries.empty()) {
            const auto shadows = find_shadowing(facts_.library_dirs, env->cuda_libraries);
            if (!shadows.empty()) {
                std::vector<std::filesystem::path> dirs;
                dirs.reserve(shadows.size());
                for (const auto& s : shadows) {
                    dirs.push_back(s.dir);
                }
                const std::string rest = library_path_without(facts_.ld_library_path, dirs);
                const std::string fix = rest.empty()
                                            ? std::string("`unset LD_LIBRARY_PATH`")
                                            : fmt::format("`export LD_LIBRARY_PATH={}`", rest);
                for (const auto& s : shadows) {
                    add(section, "ld_library_path", Status::warning,
                        fmt::format("LD_LIBRARY_PATH puts {}{} ahead of the environment's {}: "
                                    "programs and libraries without an RPATH load those instead",
                                    s.dir.string(),
                                    s.cudart ? fmt::format(" (CUDA {})", s.cudart->str()) : "",
                                    joined(s.libraries)),
                        fix);
                }
                return;
            }
        }
        if (outside.empty()) {
            add(section, "ld_library_path", Status::ok,
                facts_.ld_library_path.empty() ? std::string("LD_LIBRARY_PATH is not set")
                : env != nullptr
                    ? std::string("LD_LIBRARY_PATH holds no CUDA libraries outside the environment")
                    : std::string("LD_LIBRARY_PATH holds no CUDA libraries"));
            return;
        }
        if (env == nullptr) {
            add(section, "ld_library_path", Status::info,
                fmt::format("LD_LIBRARY_PATH holds CUDA libraries in {}: programs load them "
                            "before an environment's own",
                            joined(outside)));
            return;
        }
        add(section, "ld_library_path", Status::ok,
            fmt::format("LD_LIBRARY_PATH holds CUDA libraries in {}; none comes before the "
                        "environment's own",
                        joined(outside)));
    }

    void check_mirrors() {
        const MirrorFacts& m = facts_.mirrors;
        if (m.targets.empty()) {
            add(Section::network, "mirrors", Status::info,
                "no mirrors configured: channels are fetched from their own servers",
                "in China, `cenv config mirror use tuna` (or another of `cenv config mirror list`) "
                "is usually much faster");
            return;
        }
        if (!m.checked) {
            std::vector<std::string> names;
            for (const auto& t : m.targets) {
                names.push_back(t.name);
            }
            add(Section::network, "mirrors", Status::skipped,
                fmt::format("mirrors not checked ({}): {}", m.skipped_because, joined(names)));
            return;
        }
        for (const auto& r : m.results) {
            if (r.ok) {
                add(Section::network, "mirrors", Status::ok,
                    fmt::format("{} answered in {:.0f} ms", r.name, r.first_byte_secs * 1000));
            } else {
                add(Section::network, "mirrors", Status::warning,
                    fmt::format("{} did not answer: {}; downloads go to the next mirror or the "
                                "channel's own server",
                                r.name, r.error),
                    "check the network and proxy settings, or choose other mirrors: "
                    "`cenv mirror test` measures them");
            }
        }
    }
};

}  // namespace

std::optional<std::string> variant_for_driver(CudaRelease driver,
                                              const solver::VariantTable& table) {
    std::optional<std::pair<CudaRelease, std::string>> fits;
    std::optional<std::pair<CudaRelease, std::string>> family;
    for (const auto& s : table.selectors) {
        const auto release = CudaRelease::parse(s.cuda);
        if (s.kind != solver::VariantKind::cuda || !release) {
            continue;
        }
        if (*release <= driver && (!fits || fits->first < *release)) {
            fits = {*release, s.name};
        }
        if (release->major == driver.major && (!family || family->first < *release)) {
            family = {*release, s.name};
        }
    }
    if (fits) {
        return fits->second;
    }
    return family ? std::optional(family->second) : std::nullopt;
}

std::vector<Finding> run_checks(const Facts& facts, const solver::VariantTable& table) {
    return Checker(facts, table).run();
}

}  // namespace cenv::doctor
