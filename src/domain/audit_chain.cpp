#include "domain/audit_chain.h"

#include <sodium.h>

namespace huoyan::audit_chain {

namespace {
// Length-prefixed, so no two different entries share an input.
void add_field(std::string& input, const std::string& s) {
  input += std::to_string(s.size());
  input += ':';
  input += s;
}
}  // namespace

std::string content_input(const Entry& e) {
  std::string input;
  add_field(input, e.at);
  add_field(input, std::to_string(e.user_id));
  add_field(input, e.username);
  add_field(input, e.ip);
  add_field(input, e.action);
  add_field(input, e.target_type);
  add_field(input, e.target_id);
  add_field(input, e.summary);
  return input;
}

std::string compute_hash(const Entry& e) {
  std::string input;
  add_field(input, e.prev_hash);
  input += content_input(e);
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

long long first_broken(const std::vector<Entry>& rows, const std::string& expected_prev) {
  std::string prev = expected_prev;
  for (const auto& r : rows) {
    if (r.prev_hash != prev || compute_hash(r) != r.hash) return r.id;
    prev = r.hash;
  }
  return 0;
}

}  // namespace huoyan::audit_chain
