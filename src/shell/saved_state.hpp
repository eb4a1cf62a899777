#pragma once
// What one activation changed, kept in the shell so that deactivation puts back exactly what
// was there: for every variable it set or unset, the value before (or that it was unset).
// Level N's record is the exported variable `_CENV_SAVED_N` (the binary sees exported
// variables only; the hook passes PS1 along), one entry per variable, `;` between entries:
//
//     NAME=before       the variable had this value (possibly empty)
//     NAME              the variable was unset
//     ...>after         path lists (PATH, LD_LIBRARY_PATH) also keep the value activation set,
//                       so that deactivation can tell whether the user changed it since
//
// Values are percent-encoded where they hold `%`, `;`, `>` or control characters; other
// bytes (UTF-8 paths such as /home/张三) are kept as they are, so the record stays readable.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cenv::shell {

struct SavedVar {
    std::string name;
    std::optional<std::string> before;  ///< nullopt: the variable was unset
    std::optional<std::string> after;   ///< set for path lists only

    friend bool operator==(const SavedVar&, const SavedVar&) = default;
};

using SavedState = std::vector<SavedVar>;

/// "_CENV_SAVED_<level>".
std::string saved_variable_name(int level);

std::string encode_saved_state(const SavedState& state);

/// The record, or nullopt when `text` is not one (a damaged or foreign value).
std::optional<SavedState> decode_saved_state(std::string_view text);

}  // namespace cenv::shell
