#pragma once
// <regex>, included once for the project: libstdc++ 12's <regex> trips
// -Wmaybe-uninitialized (a std::function inside its automaton) when built with the
// sanitizers at -O2. The warning is about the library header, not our code.

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
