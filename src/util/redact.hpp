#pragma once
// Secrets in URLs, hidden before a URL reaches a log, an error or --json: anaconda.org tokens
// (`/t/<token>/`) and passwords (`user:password@host`).

#include <string>
#include <string_view>

namespace cenv::util {

/// `url` with a `/t/<token>` path segment written `/t/<TOKEN>` and the password of
/// `user:password@` written `user:<PASSWORD>@`; anything else unchanged. Safe on any text
/// (several URLs in one message are all redacted).
std::string redact_url(std::string_view url);

}  // namespace cenv::util
