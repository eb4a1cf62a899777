#pragma once
// The merged configuration: defaults < <root>/.condarc < ~/.condarc < $CONDARC < ~/.cenvrc <
// environment variables (CENV_<KEY>, then CONDA_<KEY>) < command-line flags. Scalars and
// lists from a later source replace earlier ones; maps (custom_channels, mirrors, ...) merge
// entry by entry. Every value knows its origin, for `cenv config list --sources`.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/channel_settings.hpp"
#include "config/rc_file.hpp"
#include "config/remote_settings.hpp"
#include "config/setting.hpp"

namespace cenv::config {

/// A value given on the command line (`--offline`, `--channel-priority`): `text` is parsed as
/// a variable's value is (lists comma-separated).
struct Override {
    std::string key;
    std::string text;
    std::string flag;  ///< shown as the origin: "--offline"
};

struct LoadOptions {
    std::filesystem::path root;  ///< root prefix; empty: $CENV_ROOT_PREFIX or ~/.cenv
    std::vector<Override> overrides;
    bool read_environment = true;  ///< CENV_*/CONDA_* variables
};

/// HOME (the tests point it at a temporary folder); "." when unset.
std::filesystem::path home_dir();

/// The root prefix: `explicit_root` when given, else $CENV_ROOT_PREFIX, else ~/.cenv.
std::filesystem::path root_prefix(const std::filesystem::path& explicit_root = {});

/// The settings files read, lowest precedence first (whether or not they exist).
std::vector<std::filesystem::path> rc_files(const std::filesystem::path& root);

/// The file `cenv config set` edits by default: ~/.cenvrc.
std::filesystem::path user_rc_file();

/// The layer of CENV_<KEY> / CONDA_<KEY> variables (CENV_ wins); lists split at commas.
/// Throws ConfigError naming the variable when a value does not fit its key.
Layer environment_layer();

class Settings {
  public:
    /// Defaults only.
    Settings();

    /// Reads the files, the environment and the overrides. Throws ConfigError naming the
    /// file, line and column of a malformed or mistyped value.
    static Settings load(const LoadOptions& options = {});

    /// Applies `layer` over the current values.
    void apply(const Layer& layer);

    /// The setting `key`. Throws ConfigError for an unknown key, with the known ones as hint.
    [[nodiscard]] const Setting& get(std::string_view key) const;

    [[nodiscard]] const std::string& string(std::string_view key) const;
    [[nodiscard]] bool boolean(std::string_view key) const;
    [[nodiscard]] long long integer(std::string_view key) const;
    [[nodiscard]] double number(std::string_view key) const;
    [[nodiscard]] const std::vector<std::string>& list(std::string_view key) const;

    /// Whether `key` was set by anything but the defaults.
    [[nodiscard]] bool is_set(std::string_view key) const;

    [[nodiscard]] ChannelSettings channel_settings() const;
    [[nodiscard]] RemoteSettings remote() const;

    /// The settings files that existed and were read, lowest precedence first.
    [[nodiscard]] const std::vector<std::filesystem::path>& files_read() const noexcept {
        return files_read_;
    }

  private:
    std::vector<std::pair<std::string, Setting>> values_;  // known_keys() order
    std::vector<std::filesystem::path> files_read_;
};

}  // namespace cenv::config
