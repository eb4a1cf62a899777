#pragma once
// The channel part of a match spec (`conda-forge::numpy`, `numpy[channel=...]`), read and
// printed as conda does, and matched against the `channel` of a package record.
//
// What it knows is conda's built-in configuration and nothing else: the channel alias
// https://conda.anaconda.org (so `conda-forge` is https://conda.anaconda.org/conda-forge) and
// the `defaults` channels https://repo.anaconda.com/pkgs/main and .../pkgs/r. It reads no
// configuration (no custom_channels, no mirrors); resolving a channel to URLs with the
// user's settings belongs to `channels`.
//
//   conda-forge                  a channel name under the alias
//   conda-forge/linux-64         ... restricted to one subdir (a known subdir at the end)
//   conda-forge/label/dev        a labelled channel (`label/dev` is part of the name)
//   defaults, pkgs/main, pkgs/r  the defaults multichannel (pkgs/main and pkgs/r print as
//                                `defaults`, as conda's default configuration has them)
//   https://host/path[/subdir]   a channel URL, kept as written (minus a trailing `/`)
//   /abs/path, ./rel, ~/chan     a local channel, turned into a file:// URL
//   *, conda-*, ^regex$          a pattern over channels' canonical names

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "specs/glob_spec.hpp"

namespace cenv::specs {

/// conda's default `channel_alias`.
inline constexpr std::string_view default_channel_alias = "https://conda.anaconda.org";

/// conda's default `default_channels` on Linux and macOS; together they are `defaults`.
inline constexpr std::array<std::string_view, 2> default_channels{
    "https://repo.anaconda.com/pkgs/main",
    "https://repo.anaconda.com/pkgs/r",
};

/// Whether `text` starts with a URL scheme (`https://`, `file://`, `s3://`, ...).
[[nodiscard]] bool has_url_scheme(std::string_view text) noexcept;

/// Whether `text` names a package archive: it ends with `.conda` or `.tar.bz2`.
[[nodiscard]] bool is_package_file(std::string_view text) noexcept;

/// The canonical name conda gives a channel written as a URL or a name: `conda-forge` for
/// https://conda.anaconda.org/conda-forge[/linux-64], `defaults` for the default channels
/// (and for `pkgs/main`, `pkgs/r`), the URL without subdir for any other URL, the name
/// without subdir otherwise. Never allocates: the result views `channel` or a literal.
[[nodiscard]] std::string_view canonical_channel_name(std::string_view channel) noexcept;

/// The URL of a channel written as a URL or a name, without a trailing subdir: a URL as it
/// is, a name under conda's default channel_alias (`conda-forge` ->
/// https://conda.anaconda.org/conda-forge; `defaults` -> https://repo.anaconda.com/pkgs/main).
/// micromamba's `base_url` in `list --json`.
[[nodiscard]] std::string channel_base_url(std::string_view channel);

/// A local path (absolute, `./`, `../` or `~/`) as a file:// URL, conda's
/// `path_to_url(expand(path))`: `~` is the HOME directory, relative paths are taken from the
/// current directory.
[[nodiscard]] std::string path_to_file_url(std::string_view path);

/// What the URL (or local path) of a package archive says about the package:
/// `https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h_0.conda`.
struct PackageUrl {
    std::string url;       ///< the URL; a local path becomes a file:// URL
    std::string channel;   ///< canonical channel name; empty when no subdir precedes the file
    std::string subdir;    ///< empty when the directory of the file is not a known subdir
    std::string filename;  ///< percent-decoded: `numpy-1.26.4-py312h_0.conda`
    std::string name;      ///< from the filename `name-version-build.ext`
    std::string version;
    std::string build;
};

/// Splits the URL or path of a package archive. Throws ParseError naming the text when it is
/// not a package file or its file name is not `name-version-build.conda|.tar.bz2`.
[[nodiscard]] PackageUrl parse_package_url(std::string_view text);

class ChannelSpec {
  public:
    enum class Kind : std::uint8_t {
        name,     ///< a channel name: `conda-forge`, `defaults`, `conda-forge/label/dev`
        url,      ///< a channel URL: `https://example.com/channel`, `file:///srv/channel`
        pattern,  ///< a glob or regular expression over canonical names: `*`, `conda-*`
    };

    /// The pattern `*`: every channel.
    ChannelSpec();

    /// Parses a channel as written in a spec. Throws ParseError naming the text when it is
    /// empty or holds characters no channel name has.
    static ChannelSpec parse(std::string_view text);

    [[nodiscard]] Kind kind() const noexcept { return kind_; }

    /// The channel without its subdir: `conda-forge`, `defaults`, `https://host/path`, `*`.
    [[nodiscard]] const std::string& location() const noexcept { return location_; }

    /// The subdir written after the channel (`linux-64`); empty when there is none.
    [[nodiscard]] const std::string& subdir() const noexcept { return subdir_; }

    /// The same channel without a subdir.
    [[nodiscard]] ChannelSpec without_subdir() const;

    /// The canonical text: location, then `/subdir` when there is one.
    [[nodiscard]] std::string str() const;

    /// Whether the spec is the pattern `*`.
    [[nodiscard]] bool matches_all() const noexcept {
        return kind_ == Kind::pattern && pattern_.matches_all();
    }

    /// Whether the spec names one channel (a name or a URL, not a pattern).
    [[nodiscard]] bool is_exact() const noexcept { return kind_ != Kind::pattern; }

    /// Whether a record from `channel` (a channel URL or canonical name, as a record's
    /// `channel` field holds it, with or without a trailing subdir) is in this channel, as
    /// conda's ChannelMatch decides: a name matches a channel with that name or canonical
    /// name (`conda-forge` matches https://conda.anaconda.org/conda-forge, `defaults` matches
    /// pkgs/main), a URL of the alias or of a default channel matches by name, any other URL
    /// matches the same host and path, a pattern matches the canonical name. The subdir is
    /// not looked at (a match spec compares it with the record's `subdir`). Never allocates
    /// unless the pattern is a regular expression.
    [[nodiscard]] bool contains(std::string_view channel) const;

    friend bool operator==(const ChannelSpec& a, const ChannelSpec& b) {
        return a.kind_ == b.kind_ && a.location_ == b.location_ && a.subdir_ == b.subdir_;
    }

  private:
    Kind kind_ = Kind::pattern;
    std::string location_ = "*";
    std::string subdir_;
    GlobSpec pattern_;  // for Kind::pattern
};

}  // namespace cenv::specs
