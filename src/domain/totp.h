#pragma once
// Time-based one-time passwords (RFC 6238) for the second login factor: HMAC-SHA-256, 6 digits, 30-second steps,
// the secret shown to authenticator apps in base32 (RFC 4648, no padding).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace huoyan::totp {

constexpr int kStepSeconds = 30;
constexpr int kDigits = 6;

std::string base32_encode(std::string_view bytes);
// nullopt on a character outside A-Z2-7 (lower case and spaces are accepted).
std::optional<std::string> base32_decode(std::string_view text);

// The code for `step` (seconds since 1970 / kStepSeconds), zero-padded to `digits`.
std::string code(std::string_view secret, int64_t step, int digits = kDigits);

// The step `code` belongs to among `now_step` and the step either side (clocks drift), if it is later than
// `last_used_step` (a code is good once); nullopt otherwise.
std::optional<int64_t> match(std::string_view secret, std::string_view code, int64_t now_step, int64_t last_used_step);

// otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA256&digits=6&period=30 (Key URI format).
std::string key_uri(std::string_view issuer, std::string_view account, std::string_view secret);

// Recovery codes (恢复码): for a user who has lost the authenticator, each good once instead of a code at login.
// Ten characters from kRecoveryAlphabet (no 0/O, 1/I: read off paper), shown as "XXXXX-XXXXX".
constexpr std::string_view kRecoveryAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr size_t kRecoveryLength = 10;
// A new code from `random` (at least kRecoveryLength bytes of randomness; each byte picks one of 32 characters).
std::string recovery_code(std::string_view random);
// The code as typed (any case, with or without the dash or spaces) in its stored form ("ABCDE23456"), or nullopt
// when it cannot be one.
std::optional<std::string> normalize_recovery_code(std::string_view typed);

}  // namespace huoyan::totp
