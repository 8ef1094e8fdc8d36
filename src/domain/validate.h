#pragma once
// Pure validators for identifiers and credentials. No I/O.
#include <optional>
#include <string>
#include <string_view>

namespace huoyan::validate {

// GB 11643-1999 citizen ID: 18 characters, last is the ISO 7064 MOD 11-2 check
// character (0-9 or X); birth date must be a real date.
bool citizen_id(std::string_view id);

// GB 32100-2015 unified social credit code: 18 characters from the 31-symbol
// alphabet 0-9 A-H J-N P-R T-U W-Y, last is the MOD 31 check character.
bool credit_code(std::string_view code);

// Mainland mobile number: 11 digits starting with 1[3-9].
bool mobile_phone(std::string_view phone);

// Login names: 3-32 of [a-z0-9_.-], starting with a letter.
bool username(std::string_view name);

// Password rule (等保 identity authentication): at least 8 characters with a
// letter, a digit and a symbol. Returns the Chinese reason when it fails.
std::optional<std::string> password_problem(std::string_view password);

// Number of Unicode code points in a UTF-8 string; nullopt when it is not valid UTF-8.
std::optional<size_t> utf8_length(std::string_view s);
// At most `max_bytes` of `s`, cut at a character boundary, with "…" when cut (summaries of long text).
std::string clip_utf8(const std::string& s, size_t max_bytes);

// "138****1234" for an 11-digit phone; other strings keep the first 3 and last 4 characters.
std::string mask_phone(std::string_view phone);
// "5001**********123X": the first 4 and last 4 characters of a citizen ID.
std::string mask_citizen_id(std::string_view id);
// A 特种作业操作证 number is "T" + the holder's citizen ID: masked the same way
// ("T5001**********123X"); other numbers are returned as they are.
std::string mask_certificate_number(std::string_view number);

}  // namespace huoyan::validate
