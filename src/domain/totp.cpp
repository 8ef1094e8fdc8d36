#include "domain/totp.h"

#include <sodium.h>

#include <cctype>

namespace huoyan::totp {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string percent_encode(std::string_view s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}
}  // namespace

std::string base32_encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == ' ' || ch == '=') continue;
    char up = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    int value = up >= 'A' && up <= 'Z' ? up - 'A' : up >= '2' && up <= '7' ? up - '2' + 26 : -1;
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string code(std::string_view secret, int64_t step, int digits) {
  unsigned char counter[8];
  for (int i = 7; i >= 0; --i, step >>= 8) counter[i] = static_cast<unsigned char>(step & 0xFF);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, counter, sizeof counter);
  crypto_auth_hmacsha256_final(&state, mac);
  int offset = mac[sizeof mac - 1] & 0x0F;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) | (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                    (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string out = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - out.size(), '0') + out;
}

std::optional<int64_t> match(std::string_view secret, std::string_view given, int64_t now_step, int64_t last_used_step) {
  if (given.size() != static_cast<size_t>(kDigits)) return std::nullopt;
  for (int64_t step : {now_step, now_step - 1, now_step + 1}) {
    if (step <= last_used_step) continue;
    std::string expected = code(secret, step);
    if (sodium_memcmp(expected.data(), given.data(), expected.size()) == 0) return step;
  }
  return std::nullopt;
}

std::string key_uri(std::string_view issuer, std::string_view account, std::string_view secret) {
  return "otpauth://totp/" + percent_encode(issuer) + ":" + percent_encode(account) + "?secret=" + std::string(secret) +
         "&issuer=" + percent_encode(issuer) + "&algorithm=SHA256&digits=" + std::to_string(kDigits) +
         "&period=" + std::to_string(kStepSeconds);
}

std::string recovery_code(std::string_view random) {
  std::string out;
  for (size_t i = 0; i < kRecoveryLength && i < random.size(); ++i)
    out += kRecoveryAlphabet[static_cast<unsigned char>(random[i]) % kRecoveryAlphabet.size()];
  return out;
}

std::optional<std::string> normalize_recovery_code(std::string_view typed) {
  std::string out;
  for (char ch : typed) {
    if (ch == '-' || ch == ' ') continue;
    char up = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    if (kRecoveryAlphabet.find(up) == std::string_view::npos || out.size() == kRecoveryLength) return std::nullopt;
    out += up;
  }
  if (out.size() != kRecoveryLength) return std::nullopt;
  return out;
}

}  // namespace huoyan::totp
