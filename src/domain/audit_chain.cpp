#include "domain/audit_chain.h"

#include <sodium.h>

namespace huoyan::audit_chain {

std::string compute_hash(const Entry& e) {
  // Length-prefixed fields, so no two different entries share an input.
  std::string input;
  auto add = [&](const std::string& s) {
    input += std::to_string(s.size());
    input += ':';
    input += s;
  };
  add(e.prev_hash);
  add(e.at);
  add(std::to_string(e.user_id));
  add(e.username);
  add(e.ip);
  add(e.action);
  add(e.target_type);
  add(e.target_id);
  add(e.summary);
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
