#include "solver/variant.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "solver/error.hpp"
#include "solver/preference.hpp"
#include "specs/error.hpp"
#include "specs/match_spec.hpp"

namespace cenv::solver {

namespace {

constexpr std::string_view name_end_chars = " =<>!~[(";

// The package name a spec template or spec starts with ("pytorch-cuda={cuda}" ->
// "pytorch-cuda"); empty for a template that starts with a placeholder.
std::string_view leading_name(std::string_view spec) {
    if (const auto sep = spec.find("::"); sep != std::string_view::npos) {
        spec.remove_prefix(sep + 2);
    }
    return spec.substr(0, std::min(spec.find_first_of(name_end_chars), spec.size()));
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (std::size_t pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size())) {
        text.replace(pos, from.size(), to);
    }
}

struct Template {
    std::string package;  // with channel prefix, when the user gave one
    std::string version;  // "=2.1", ">=2.1" or empty
    std::string cuda;     // "12.1"
};

std::string fill(std::string_view pattern, const Template& t) {
    std::string out(pattern);
    replace_all(out, "{package}", t.package);
    replace_all(out, "{version}", t.version);
    replace_all(out, "{cuda}", t.cuda);
    return out;
}

enum class RouteState { missing, partial, complete };

struct RouteCheck {
    RouteState state = RouteState::missing;
    std::vector<std::string> absent;  // the `needs` specs the channels do not match
};

RouteCheck check_route(const VariantRoute& route, VariantKind kind, const Template& t,
                       const ChannelOffer& offer) {
    const RouteRule& rule = route.rule(kind);
    RouteCheck check;
    if (rule.specs.empty() || !offer.has(fill(rule.specs.front(), t))) {
        return check;
    }
    for (const auto& need : rule.needs) {
        if (!offer.has(fill(need, t))) {
            check.absent.push_back(fill(need, t));
        }
    }
    check.state = check.absent.empty() ? RouteState::complete : RouteState::partial;
    return check;
}

std::string variant_words(const VariantSelector& s) {
    switch (s.kind) {
        case VariantKind::any_cuda:
            return "CUDA build";
        case VariantKind::cpu:
            return "CPU build";
        case VariantKind::cuda:
            break;
    }
    return fmt::format("CUDA {} build", s.cuda);
}

// "driver >= 530.30.02 (Linux) / 531.14 (Windows)"
std::string driver_words(const DriverRequirement& d) {
    return d.windows_driver.empty() ? fmt::format("driver >= {} (Linux)", d.linux_driver)
                                    : fmt::format("driver >= {} (Linux) / {} (Windows)",
                                                  d.linux_driver, d.windows_driver);
}

// What CUDA `cuda` needs of the driver: its own minimum, and the family's first driver that
// runs it through minor-version compatibility.
std::string requirement_words(const VariantTable& table, const CudaRelease& cuda) {
    const auto own = table.driver_for(cuda.str());
    const auto family = table.family_driver(cuda.str());
    std::string text =
        fmt::format("CUDA {} needs a driver that supports CUDA {}", cuda.str(), cuda.major);
    if (own) {
        text += fmt::format(": {}", driver_words(*own));
        if (family && family->linux_driver != own->linux_driver) {
            text +=
                fmt::format(", or at least {} through minor-version compatibility",
                            driver_words(*family).substr(std::string_view("driver >= ").size()));
        }
    } else if (family) {
        text += fmt::format(": {}", driver_words(*family));
    }
    return text;
}

std::string another_machine(std::string_view written, const std::optional<CudaRelease>& cuda) {
    return fmt::format(
        "to solve for another machine, set its driver's CUDA version: "
        "CONDA_OVERRIDE_CUDA={} cenv ... {}",
        cuda ? cuda->str() : std::string("12.4"), written);
}

}  // namespace

// ---- ChannelOffer ----

ChannelOffer::ChannelOffer(const VariantTable& table) {
    const auto add_name = [this](std::string_view name) {
        if (!name.empty() && std::find(names_.begin(), names_.end(), name) == names_.end()) {
            names_.emplace_back(name);
        }
    };
    for (const auto& p : table.variant_packages) {
        add_name(p);
    }
    for (const auto& route : table.routes) {
        for (const RouteRule* rule : {&route.cuda, &route.any_cuda, &route.cpu}) {
            for (const auto& s : rule->specs) {
                add_name(leading_name(s));
            }
            for (const auto& s : rule->needs) {
                add_name(leading_name(s));
            }
        }
    }
}

void ChannelOffer::add_channel(std::string_view channel) {
    if (std::find(channels_.begin(), channels_.end(), channel) == channels_.end()) {
        channels_.emplace_back(channel);
    }
}

void ChannelOffer::add(const std::vector<specs::PackageRecord>& records) {
    for (const auto& r : records) {
        if (std::find(names_.begin(), names_.end(), r.name) == names_.end()) {
            continue;
        }
        auto channel = std::find(channels_.begin(), channels_.end(), r.channel);
        if (channel == channels_.end()) {
            channels_.push_back(r.channel);
            channel = std::prev(channels_.end());
        }
        records_.push_back(r);
        channel_of_.push_back(static_cast<std::size_t>(channel - channels_.begin()));
    }
}

bool ChannelOffer::has(std::string_view spec) const {
    if (const auto sep = spec.find("::"); sep != std::string_view::npos) {
        spec.remove_prefix(sep + 2);
    }
    const auto match = specs::MatchSpec::parse(spec);
    const std::string name = match.name().str();
    std::size_t first = channels_.size();  // the first channel that has the name at all
    if (strict_) {
        for (std::size_t i = 0; i < records_.size(); ++i) {
            if (records_[i].name == name) {
                first = std::min(first, channel_of_[i]);
            }
        }
    }
    for (std::size_t i = 0; i < records_.size(); ++i) {
        if ((!strict_ || channel_of_[i] == first) && match.contains(records_[i])) {
            return true;
        }
    }
    return false;
}

// ---- MachineCuda ----

std::string MachineCuda::describe() const {
    const bool overridden = source.find("OVERRIDE_CUDA") != std::string::npos;
    if (!cuda) {
        return overridden ? fmt::format("{} is empty (no GPU)", source)
                          : std::string("no NVIDIA driver was detected (no __cuda)");
    }
    if (overridden) {
        return fmt::format("{}={} -> CUDA {}", source, *cuda, *cuda);
    }
    if (!driver_version.empty()) {
        return fmt::format("driver {} -> CUDA {}", driver_version, *cuda);
    }
    return fmt::format("the driver supports CUDA {}", *cuda);
}

namespace {

// The selectors the channels can provide, as `torch=cu118`, newest CUDA first, then CPU;
// with `driver`, only the CUDA releases it runs (a newer major needs a newer driver).
std::vector<std::string> offered_variants(std::string_view user_name, std::string_view package,
                                          const std::optional<CudaRelease>& driver,
                                          bool check_driver, const ChannelOffer& offer,
                                          const VariantTable& table) {
    std::vector<std::pair<CudaRelease, std::string>> cuda;
    std::vector<std::string> cpu;
    for (const auto& s : table.selectors) {
        if (s.kind == VariantKind::any_cuda) {
            continue;
        }
        const Template t{std::string(package), "", s.cuda};
        const bool offered =
            std::any_of(table.routes.begin(), table.routes.end(), [&](const auto& r) {
                return check_route(r, s.kind, t, offer).state == RouteState::complete;
            });
        if (!offered) {
            continue;
        }
        if (s.kind == VariantKind::cpu) {
            cpu.push_back(fmt::format("{}={}", user_name, s.name));
            continue;
        }
        const auto need = CudaRelease::parse(s.cuda);
        // Suggestions stay within the driver's own release: minor-version compatibility is
        // something to be told about, not to be steered into.
        if (need && (!check_driver || (driver && *need <= *driver))) {
            cuda.emplace_back(*need, fmt::format("{}={}", user_name, s.name));
        }
    }
    std::stable_sort(cuda.begin(), cuda.end(),
                     [](const auto& a, const auto& b) { return b.first < a.first; });
    std::vector<std::string> result;
    for (auto& c : cuda) {
        result.push_back(std::move(c.second));
    }
    result.insert(result.end(), cpu.begin(), cpu.end());
    return result;
}

}  // namespace

// ---- SpecExpansion ----

std::string SpecExpansion::str() const {
    std::string text = fmt::format("{} -> {}", written, fmt::join(specs, " "));
    if (!route.empty()) {
        text += fmt::format(" ({} route)", route);
    }
    return text;
}

std::vector<SpecExpansion> expand_aliases(const std::vector<std::string>& specs,
                                          const VariantTable& table) {
    std::vector<SpecExpansion> out;
    for (const auto& written : specs) {
        std::string_view text = written;
        std::string channel;
        if (const auto sep = text.find("::"); sep != std::string_view::npos) {
            channel = std::string(text.substr(0, sep + 2));
            text.remove_prefix(sep + 2);
        }
        const std::size_t name_end = std::min(text.find_first_of(name_end_chars), text.size());
        SpecExpansion e;
        e.written = written;
        e.user_name = std::string(text.substr(0, name_end));
        e.package = table.alias_of(e.user_name).value_or(e.user_name);
        e.specs.push_back(channel + e.package + std::string(text.substr(name_end)));
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<SpecExpansion> expand_specs(const std::vector<std::string>& specs,
                                        const ChannelOffer& offer, const VariantTable& table) {
    std::vector<SpecExpansion> out;
    for (const auto& written : specs) {
        SpecExpansion e;
        e.written = written;
        std::string_view text = written;
        std::string channel;
        if (const auto sep = text.find("::"); sep != std::string_view::npos) {
            channel = std::string(text.substr(0, sep + 2));
            text.remove_prefix(sep + 2);
        }
        const std::size_t name_end = std::min(text.find_first_of(name_end_chars), text.size());
        const std::string name(text.substr(0, name_end));
        const std::string rest(text.substr(name_end));
        e.user_name = name;
        e.package = table.alias_of(name).value_or(name);

        // A selector is the last `=`-separated word, when it is one the table knows.
        const VariantSelector* selector = nullptr;
        std::string version;
        if (const auto eq = rest.rfind('=');
            eq != std::string::npos && rest.find_first_of("[( ") == std::string::npos &&
            (eq == 0 || std::string_view("=<>!").find(rest[eq - 1]) == std::string_view::npos)) {
            selector = table.selector(std::string_view(rest).substr(eq + 1));
            version = rest.substr(0, eq);
        }
        if (selector == nullptr) {
            e.specs.push_back(channel + e.package + rest);
            out.push_back(std::move(e));
            continue;
        }
        if (!table.is_variant_package(e.package)) {
            throw VariantError(
                fmt::format("'{}': the variant '{}' applies to {} only", written, selector->name,
                            fmt::join(table.variant_packages, ", ")),
                fmt::format("ask for the variant on pytorch (torch={}); {} follows the build of "
                            "pytorch it is solved with",
                            selector->name, e.package),
                {});
        }
        e.selector = *selector;
        const Template t{channel + e.package, version, selector->cuda};
        std::vector<std::pair<const VariantRoute*, RouteCheck>> checks;
        for (const auto& route : table.routes) {
            checks.emplace_back(&route, check_route(route, selector->kind, t, offer));
        }
        const auto complete = std::find_if(checks.begin(), checks.end(), [](const auto& c) {
            return c.second.state == RouteState::complete;
        });
        if (complete != checks.end()) {
            e.route = complete->first->name;
            for (const auto& s : complete->first->rule(selector->kind).specs) {
                e.specs.push_back(fill(s, t));
            }
            out.push_back(std::move(e));
            continue;
        }
        if (offer.strict()) {
            // A route the channels complete only when a lower channel may give the package:
            // strict channel priority hides it (`-c pytorch -c conda-forge` without nvidia).
            ChannelOffer relaxed = offer;
            relaxed.set_strict(false);
            for (const auto& route : table.routes) {
                if (check_route(route, selector->kind, t, relaxed).state == RouteState::complete) {
                    throw VariantError(
                        fmt::format("'{}': the {} route has {}'s {}s only in a channel that "
                                    "strict channel priority hides (a channel before it has {} "
                                    "too)",
                                    written, route.name, e.package, variant_words(*selector),
                                    e.package),
                        fmt::format("put the {} channel first, or solve with "
                                    "--channel-priority flexible",
                                    route.name),
                        {});
                }
            }
        }
        const auto partial = std::find_if(checks.begin(), checks.end(), [](const auto& c) {
            return c.second.state == RouteState::partial;
        });
        std::vector<std::string> details;
        for (const auto& [route, check] : checks) {
            if (check.state == RouteState::partial) {
                details.push_back(
                    fmt::format("{} route: the channels have {}'s {}s but not {} "
                                "({})",
                                route->name, e.package, variant_words(*selector),
                                fmt::join(check.absent, ", "), route->missing_hint));
            } else {
                details.push_back(fmt::format("{} route: the channels have no {} matching '{}'",
                                              route->name, e.package,
                                              fill(route->rule(selector->kind).specs.front(), t)));
            }
        }
        if (partial != checks.end() && partial->first == &table.routes.front() &&
            table.routes.size() > 1) {
            // The pytorch channel without the nvidia channel: mirrors carry one, not the other.
            throw VariantError(
                fmt::format("'{}': the {}s of {} in the channels in use need packages that the "
                            "channels do not have ({})",
                            written, variant_words(*selector), e.package,
                            fmt::join(partial->second.absent, ", ")),
                fmt::format("use the {} route instead: add -c conda-forge (mirrors carry it), "
                            "where {} selects builds that depend on cuda-version{}; or add the "
                            "nvidia channel (-c nvidia)",
                            table.routes[1].name, written,
                            selector->kind == VariantKind::cuda
                                ? fmt::format(" (cuda-version={})", selector->cuda)
                                : std::string{}),
                std::move(details));
        }
        const auto available =
            offered_variants(name, channel + e.package, std::nullopt, false, offer, table);
        throw VariantError(
            fmt::format("'{}': no {} of {}{} in the channels in use", written,
                        variant_words(*selector), e.package, version),
            available.empty()
                ? std::string("add a channel that has it: -c conda-forge, or -c pytorch -c nvidia")
                : fmt::format("the channels have {}; or add a channel that has it "
                              "(-c conda-forge, or -c pytorch -c nvidia)",
                              fmt::join(available, ", ")),
            std::move(details));
    }
    return out;
}

std::vector<std::string> working_variants(std::string_view user_name, std::string_view package,
                                          const MachineCuda& machine, const ChannelOffer& offer,
                                          const VariantTable& table) {
    const auto driver = machine.cuda ? CudaRelease::parse(*machine.cuda) : std::nullopt;
    return offered_variants(user_name, package, driver, true, offer, table);
}

std::vector<std::string> check_driver(const std::vector<SpecExpansion>& expansions,
                                      const MachineCuda& machine, const ChannelOffer& offer,
                                      const VariantTable& table) {
    std::vector<std::string> warnings;
    const auto driver = machine.cuda ? CudaRelease::parse(*machine.cuda) : std::nullopt;
    for (const auto& e : expansions) {
        if (!e.selector || e.selector->kind == VariantKind::cpu) {
            continue;
        }
        const auto need = e.selector->kind == VariantKind::cuda
                              ? CudaRelease::parse(e.selector->cuda)
                              : std::nullopt;
        // Within a major family the driver runs newer minor releases (minor-version
        // compatibility); a newer major needs a newer driver.
        const bool runs = driver && (!need || need->major <= driver->major);
        if (runs) {
            if (need && need->major == driver->major && need->minor > driver->minor) {
                const auto full = table.driver_for(need->str());
                warnings.push_back(fmt::format(
                    "{} uses CUDA {} and the driver supports CUDA {} ({}): it runs through CUDA "
                    "minor-version compatibility, with a limited feature set (code that needs "
                    "PTX from a newer toolkit fails to load){}",
                    e.written, need->str(), driver->str(), machine.describe(),
                    full ? fmt::format("; a {} supports CUDA {} fully", driver_words(*full),
                                       need->str())
                         : std::string{}));
            }
            continue;
        }
        std::vector<std::string> details;
        details.push_back(fmt::format("detected: {}", machine.describe()));
        if (need) {
            details.push_back(fmt::format("needed: {}", requirement_words(table, *need)));
        } else {
            details.push_back("needed: an NVIDIA driver (any CUDA build needs one)");
        }
        const auto work = working_variants(e.user_name, e.package, machine, offer, table);
        details.push_back(work.empty()
                              ? std::string("would work now: no variant of the channels in use")
                              : fmt::format("would work now: {}", fmt::join(work, ", ")));
        details.push_back(another_machine(e.written, need));
        throw VariantError(
            driver ? fmt::format("'{}' needs a newer NVIDIA driver: this machine supports CUDA "
                                 "{} and the {} needs CUDA {}",
                                 e.written, driver->str(), variant_words(*e.selector),
                                 need ? std::to_string(need->major) : std::string("?"))
                   : fmt::format("'{}' needs an NVIDIA GPU driver, and {}", e.written,
                                 machine.describe()),
            work.empty()
                ? fmt::format("update or install the NVIDIA driver, or solve for another machine "
                              "with CONDA_OVERRIDE_CUDA={}",
                              need ? need->str() : std::string("12.4"))
                : fmt::format("ask for {} instead, update or install the NVIDIA driver, or solve "
                              "for another machine with CONDA_OVERRIDE_CUDA={}",
                              work.front(), need ? need->str() : std::string("12.4")),
            std::move(details));
    }
    return warnings;
}

std::optional<std::string> runtime_cap(const std::vector<SpecExpansion>& expansions,
                                       const MachineCuda& machine, const ChannelOffer& offer,
                                       const VariantTable& table) {
    const auto driver = machine.cuda ? CudaRelease::parse(*machine.cuda) : std::nullopt;
    if (!driver) {
        return std::nullopt;
    }
    const bool open_choice = std::any_of(expansions.begin(), expansions.end(), [&](const auto& e) {
        return table.is_variant_package(e.package) &&
               (!e.selector || e.selector->kind == VariantKind::any_cuda);
    });
    const bool release_chosen = std::any_of(
        expansions.begin(), expansions.end(),
        [&](const auto& e) { return e.selector && e.selector->kind == VariantKind::cuda; });
    if (!open_choice || release_chosen) {
        return std::nullopt;
    }
    for (const auto& route : table.routes) {
        if (!route.runtime_package.empty() && offer.has(route.runtime_package)) {
            return fmt::format("{} <{}.{}.0a0", route.runtime_package, driver->major,
                               driver->minor + 1);
        }
    }
    return std::nullopt;
}

std::optional<CudaRelease> build_cuda_release(std::string_view build) {
    for (std::size_t pos = build.find("cu"); pos != std::string_view::npos;
         pos = build.find("cu", pos + 1)) {
        std::string_view digits = build.substr(pos + 2);
        if (digits.starts_with("da")) {
            digits.remove_prefix(2);
        }
        // `cuda12.1_...`: a dotted release up to the next `_`.
        if (const auto dotted = CudaRelease::parse(digits);
            dotted && digits.find('.') != std::string_view::npos &&
            digits.find('.') < digits.find('_')) {
            return dotted;
        }
        // `cuda120_...`, `cu121`: three digits, the last one the minor release.
        std::size_t n = 0;
        while (n < digits.size() && digits[n] >= '0' && digits[n] <= '9') {
            ++n;
        }
        if (n == 3) {
            return CudaRelease{(digits[0] - '0') * 10 + (digits[1] - '0'), digits[2] - '0'};
        }
    }
    return std::nullopt;
}

std::optional<CudaRelease> solved_cuda(const std::vector<specs::PackageRecord>& records,
                                       std::string_view package) {
    const auto find = [&](std::string_view name) -> const specs::PackageRecord* {
        const auto it = std::find_if(records.begin(), records.end(),
                                     [&](const auto& r) { return r.name == name; });
        return it == records.end() ? nullptr : &*it;
    };
    const auto* target = find(package);
    if (target == nullptr || !is_cuda_build(target->build)) {
        return std::nullopt;
    }
    for (const char* runtime : {"cuda-version", "pytorch-cuda"}) {
        if (const auto* r = find(runtime)) {
            if (auto release = CudaRelease::parse(r->version)) {
                return release;
            }
        }
    }
    return build_cuda_release(target->build);
}

std::string describe_choice(const SpecExpansion& expansion,
                            const std::vector<specs::PackageRecord>& records,
                            const MachineCuda& machine, const ChannelOffer& offer,
                            const VariantTable& table) {
    if (!table.is_variant_package(expansion.package)) {
        return {};
    }
    const auto it = std::find_if(records.begin(), records.end(),
                                 [&](const auto& r) { return r.name == expansion.package; });
    if (it == records.end()) {
        return {};
    }
    if (expansion.selector && expansion.selector->kind != VariantKind::any_cuda) {
        return {};  // the user chose; check_driver warns about minor-version compatibility
    }
    const auto runtime = solved_cuda(records, expansion.package);
    const auto driver = machine.cuda ? CudaRelease::parse(*machine.cuda) : std::nullopt;
    // Up to two other CUDA releases (newest first) and the CPU build.
    std::vector<std::string> others;
    std::size_t cuda_others = 0;
    for (auto& v :
         working_variants(expansion.user_name, expansion.package, machine, offer, table)) {
        const auto s = table.selector(std::string_view(v).substr(v.find('=') + 1));
        if (s == nullptr) {
            continue;
        }
        const bool same =
            (runtime && s->kind == VariantKind::cuda && CudaRelease::parse(s->cuda) == runtime) ||
            (!runtime && s->kind == VariantKind::cpu);
        if (same || (s->kind == VariantKind::cuda && ++cuda_others > 2)) {
            continue;
        }
        others.push_back(std::move(v));
    }
    const std::string choose =
        others.empty() ? std::string("no other variant of the channels in use runs here")
                       : fmt::format("choose another with {}", fmt::join(others, " or "));
    if (runtime) {
        std::string compat;
        if (driver && runtime->major == driver->major && runtime->minor > driver->minor) {
            compat = " through minor-version compatibility";
        }
        return fmt::format("{}: chose the CUDA {} build {} {} for {}{}; {}", expansion.written,
                           runtime->str(), it->version, it->build, machine.describe(), compat,
                           choose);
    }
    if (!machine.cuda) {
        // No GPU here: the way to another variant is solving for a machine that has one.
        const auto offered =
            offered_variants(expansion.user_name, expansion.package, driver, false, offer, table);
        const auto cuda = std::find_if(offered.begin(), offered.end(), [&](const auto& v) {
            const auto* s = table.selector(std::string_view(v).substr(v.find('=') + 1));
            return s != nullptr && s->kind == VariantKind::cuda;
        });
        if (cuda != offered.end()) {
            const auto* s = table.selector(std::string_view(*cuda).substr(cuda->find('=') + 1));
            return fmt::format(
                "{}: chose the CPU build {} {}: {}; for a machine with a GPU, ask "
                "for {} with CONDA_OVERRIDE_CUDA={}",
                expansion.written, it->version, it->build, machine.describe(), *cuda, s->cuda);
        }
    }
    const std::string why =
        machine.cuda
            ? fmt::format("no CUDA build of the channels in use fits ({})", machine.describe())
            : machine.describe();
    return fmt::format("{}: chose the CPU build {} {}: {}; {}", expansion.written, it->version,
                       it->build, why, choose);
}

}  // namespace cenv::solver
