#include "domain/field_cipher.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

namespace huoyan::field_cipher {
namespace {

constexpr std::string_view kPrefix = "sm4:";
constexpr size_t kIvBytes = 16, kTagBytes = 32;

// OpenSSL 3 looks an algorithm up by name, under a lock, each time one is named in a call (EVP_Q_mac, EVP_sm4_ctr):
// that took half of opening a sealed value. They are fetched once.
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!mac) throw std::runtime_error("HMAC unavailable in this OpenSSL");
  return mac;
}

const EVP_CIPHER* sm4_ctr_algorithm() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
  if (!cipher) throw std::runtime_error("SM4-CTR unavailable in this OpenSSL");
  return cipher;
}

using MacContext = std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)>;

// HMAC-SM3 under `key`, made ready once; each use works on a copy, so one keyed context serves every thread.
MacContext keyed_hmac_sm3(const unsigned char* key, size_t key_len) {
  MacContext ctx(EVP_MAC_CTX_new(hmac_algorithm()), EVP_MAC_CTX_free);
  char digest[] = "SM3";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  if (!ctx || !EVP_MAC_init(ctx.get(), key, key_len, params)) throw std::runtime_error("HMAC-SM3 unavailable in this OpenSSL");
  return ctx;
}

std::array<unsigned char, 32> mac_with(const EVP_MAC_CTX* keyed, std::string_view data) {
  std::array<unsigned char, 32> out{};
  size_t out_len = 0;
  MacContext ctx(EVP_MAC_CTX_dup(keyed), EVP_MAC_CTX_free);
  if (!ctx || !EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) ||
      !EVP_MAC_final(ctx.get(), out.data(), &out_len, out.size()) || out_len != out.size())
    throw std::runtime_error("HMAC-SM3 failed");
  return out;
}

std::array<unsigned char, 32> hmac_sm3(const unsigned char* key, size_t key_len, std::string_view data) {
  return mac_with(keyed_hmac_sm3(key, key_len).get(), data);
}

// SM4-CTR is its own inverse: the same call encrypts and decrypts.
std::string sm4_ctr(const unsigned char* key, const unsigned char* iv, std::string_view in) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(in.size(), '\0');
  int len = 0, tail = 0;
  if (!ctx || !EVP_EncryptInit_ex2(ctx.get(), sm4_ctr_algorithm(), key, iv, nullptr) ||
      !EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                         reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size())) ||
      !EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &tail))
    throw std::runtime_error("SM4-CTR failed");
  return out;
}

std::string_view as_text(const unsigned char* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }

std::string hex_of(const unsigned char* p, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

}  // namespace

Key Key::generate() {
  Key k;
  randombytes_buf(k.master_.data(), k.master_.size());
  k.derive();
  return k;
}

std::optional<Key> Key::from_hex(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  Key k;
  size_t written = 0;
  if (text.size() != 2 * kBytes ||
      sodium_hex2bin(k.master_.data(), k.master_.size(), text.data(), text.size(), nullptr, &written, nullptr) != 0 ||
      written != kBytes)
    return std::nullopt;
  k.derive();
  return k;
}

std::string Key::hex() const { return hex_of(master_.data(), master_.size()); }

void Key::derive() {
  auto cipher = hmac_sm3(master_.data(), master_.size(), "huoyan field cipher");
  std::copy_n(cipher.begin(), cipher_key_.size(), cipher_key_.begin());
  auto mac_key = hmac_sm3(master_.data(), master_.size(), "huoyan field mac");
  auto lookup_key = hmac_sm3(master_.data(), master_.size(), "huoyan field lookup");
  mac_ = keyed_hmac_sm3(mac_key.data(), mac_key.size());
  lookup_ = keyed_hmac_sm3(lookup_key.data(), lookup_key.size());
  for (auto* derived : {&cipher, &mac_key, &lookup_key}) sodium_memzero(derived->data(), derived->size());
}

std::string Key::seal(std::string_view plain) const {
  std::string raw(kIvBytes, '\0');
  randombytes_buf(raw.data(), kIvBytes);
  raw += sm4_ctr(cipher_key_.data(), reinterpret_cast<const unsigned char*>(raw.data()), plain);
  auto tag = mac_with(mac_.get(), raw);
  raw.append(as_text(tag.data(), tag.size()));
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return std::string(kPrefix) + out;
}

std::optional<std::string> Key::open(std::string_view sealed) const {
  if (!is_sealed(sealed)) return std::nullopt;
  sealed.remove_prefix(kPrefix.size());
  std::string raw(sealed.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), sealed.data(), sealed.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < kIvBytes + kTagBytes)
    return std::nullopt;
  raw.resize(len);
  std::string_view body(raw.data(), len - kTagBytes);
  auto tag = mac_with(mac_.get(), body);
  if (sodium_memcmp(tag.data(), raw.data() + body.size(), kTagBytes) != 0) return std::nullopt;
  return sm4_ctr(cipher_key_.data(), reinterpret_cast<const unsigned char*>(raw.data()), body.substr(kIvBytes));
}

std::string Key::open_stored(std::string_view stored) const {
  if (stored.empty()) return {};
  auto plain = open(stored);
  if (!plain) throw std::runtime_error("a sealed value does not open with the field key (altered in the database?)");
  return *plain;
}

std::string Key::lookup_hash(std::string_view plain) const {
  auto v = mac_with(lookup_.get(), plain);
  return hex_of(v.data(), 16);
}

std::string Key::check_value() const {
  auto v = hmac_sm3(master_.data(), master_.size(), "huoyan field key check");
  return hex_of(v.data(), v.size());
}

void wipe(std::string& text) { sodium_memzero(text.data(), text.size()); }

Key::~Key() {
  sodium_memzero(master_.data(), master_.size());
  sodium_memzero(cipher_key_.data(), cipher_key_.size());
}

bool is_sealed(std::string_view text) { return text.substr(0, kPrefix.size()) == kPrefix; }

}  // namespace huoyan::field_cipher
