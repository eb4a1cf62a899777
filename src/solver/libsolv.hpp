#pragma once
// The one place that includes libsolv. libsolv's solvable.h names a struct member
// `requires`, a C++20 keyword: it is renamed to `requires_` while the headers are read (the
// layout is unchanged). Include this header only from .cpp files of src/solver: libsolv types
// stay out of public headers.

// NOLINTBEGIN
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wkeyword-macro"
#endif
#define requires requires_
extern "C" {
#include <solv/pool.h>
#include <solv/poolarch.h>
#include <solv/problems.h>
#include <solv/queue.h>
#include <solv/repo.h>
#include <solv/rules.h>
#include <solv/solver.h>
#include <solv/transaction.h>
}
#undef requires
#if defined(__clang__)
#pragma clang diagnostic pop
#endif
// NOLINTEND
