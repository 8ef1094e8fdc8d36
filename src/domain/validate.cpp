#include "domain/validate.h"

#include <algorithm>
#include <cctype>

namespace huoyan::validate {

namespace {
bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_date(int y, int m, int d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  int max = days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
  return d <= max;
}

int digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

bool citizen_id(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i)
    if (!std::isdigit(static_cast<unsigned char>(id[i]))) return false;
  if (!valid_date(digits(id.substr(6, 4)), digits(id.substr(10, 2)), digits(id.substr(12, 2)))) return false;
  static const int weights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static const char checks[] = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * weights[i];
  char last = static_cast<char>(std::toupper(static_cast<unsigned char>(id[17])));
  return last == checks[sum % 11];
}

bool credit_code(std::string_view code) {
  static const std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int weights[] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  if (code.size() != 18) return false;
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    auto pos = alphabet.find(code[i]);
    if (pos == std::string_view::npos) return false;
    sum += static_cast<int>(pos) * weights[i];
  }
  int check = (31 - sum % 31) % 31;
  return code[17] == alphabet[check];
}

bool mobile_phone(std::string_view phone) {
  if (phone.size() != 11 || phone[0] != '1' || phone[1] < '3' || phone[1] > '9') return false;
  return std::all_of(phone.begin(), phone.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool username(std::string_view name) {
  if (name.size() < 3 || name.size() > 32 || !std::islower(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
           c == '.' || c == '-';
  });
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() < 8) return "密码至少 8 位";
  if (password.size() > 128) return "密码不能超过 128 位";
  bool letter = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if (std::isalpha(c)) letter = true;
    else if (std::isdigit(c)) digit = true;
    else if (std::ispunct(c)) symbol = true;
    else if (c < 0x20 || c == 0x7f) return "密码不能包含控制字符";
    else if (c >= 0x80) return "密码只能包含字母、数字和英文符号";
  }
  if (!letter || !digit || !symbol) return "密码须同时包含字母、数字和符号";
  return std::nullopt;
}

std::optional<size_t> utf8_length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return std::nullopt;
    i += len;
    ++count;
  }
  return count;
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') + std::string(phone.substr(phone.size() - 4));
}

std::string mask_citizen_id(std::string_view id) {
  if (id.size() < 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') + std::string(id.substr(id.size() - 4));
}

std::string mask_certificate_number(std::string_view n) {
  return n.size() == 19 && n[0] == 'T' ? "T" + mask_citizen_id(n.substr(1)) : std::string(n);
}

std::string clip_utf8(const std::string& s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

}  // namespace huoyan::validate
