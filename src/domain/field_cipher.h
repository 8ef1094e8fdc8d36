#pragma once
// Sealing of sensitive fields stored in the database (等保 2.0 数据保密性: 鉴别数据 and 重要个人信息 are kept
// encrypted, under a key kept outside the database). 国密 algorithms: SM4 in counter mode encrypts, HMAC-SM3
// over the IV and the ciphertext authenticates (encrypt-then-MAC), each with its own key derived from the
// field key by HMAC-SM3. A sealed value is text: "sm4:" and the base64 of IV (16 bytes) | ciphertext | tag (32).
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX

namespace huoyan::field_cipher {

class Key {
 public:
  static constexpr size_t kBytes = 32;
  static Key generate();
  Key() = default;
  Key(const Key&) = default;
  Key& operator=(const Key&) = default;
  ~Key();  // zeroes the key material (剩余信息保护)
  // The key as it is kept in its file: 64 hex digits (surrounding whitespace ignored); nullopt otherwise.
  static std::optional<Key> from_hex(std::string_view text);
  std::string hex() const;

  std::string seal(std::string_view plain) const;
  // The plain text; nullopt when `sealed` is not a sealed value, was sealed under another key, or was altered.
  std::optional<std::string> open(std::string_view sealed) const;
  // A value the application stored sealed, or "": its plain text ("" for ""). The key was checked against the
  // database at start, so a value that does not open was altered or written around the application: throws
  // std::runtime_error (an internal error, not a client's).
  std::string open_stored(std::string_view stored) const;
  // A keyed hash of `plain` (HMAC-SM3 under its own derived key, the first 16 bytes in hex): stored beside a
  // sealed value so that it can be found by exact match (uniqueness, search by the whole value) without opening
  // every row. Without the key it cannot be computed, so a list of likely values cannot be tried against it.
  std::string lookup_hash(std::string_view plain) const;
  // Recognises the key without revealing it (HMAC-SM3 under the key of a fixed label, hex): kept in the
  // database so that a server started with another key file refuses to start instead of failing on each read.
  std::string check_value() const;

 private:
  std::array<unsigned char, kBytes> master_{};
  std::array<unsigned char, 16> cipher_key_{};  // SM4's key size
  // HMAC-SM3 under the derived MAC and lookup keys, keyed once; shared by copies of the key and never changed.
  std::shared_ptr<const evp_mac_ctx_st> mac_, lookup_;
  void derive();
};

// True when `text` has the form of a sealed value (it may still fail to open).
bool is_sealed(std::string_view text);

// 等保 2.0 剩余信息保护: zeroes a secret's bytes (a password, a one-time code, a key) before its memory is given
// back, so that a later allocation does not find them.
void wipe(std::string& text);
// A secret's text, zeroed when it goes out of scope however the scope ends (an error thrown on a wrong password).
struct WipedText {
  std::string text;
  explicit WipedText(std::string secret) : text(std::move(secret)) {}
  WipedText(const WipedText&) = delete;
  WipedText& operator=(const WipedText&) = delete;
  ~WipedText() { wipe(text); }
};

}  // namespace huoyan::field_cipher
