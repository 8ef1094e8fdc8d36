#pragma once
// The audit log is a hash chain: each row stores the SHA-256 of the previous
// row's hash and its own content, so an edited, inserted or deleted row
// breaks every link after it.
#include <string>
#include <vector>

namespace huoyan::audit_chain {

struct Entry {
  long long id = 0;
  std::string at, username, ip, action, target_type, target_id, summary;
  long long user_id = 0;
  std::string prev_hash, hash;
};

// Hex SHA-256 over prev_hash and the entry's content fields (not id, not hash), each as its byte length, ':' and
// its bytes.
std::string compute_hash(const Entry& e);

// The part of compute_hash's input after prev_hash: the content fields, as compute_hash writes them. (PostgreSQL
// chains a row in SQL from it and the head it reads: app/audit.cpp.)
std::string content_input(const Entry& e);

// The genesis value of prev_hash for the first row.
inline const std::string kGenesis(64, '0');

// Id of the first row whose link or own hash does not hold, or 0 if all hold.
// `rows` must be in id order and start at the chain's first row.
long long first_broken(const std::vector<Entry>& rows, const std::string& expected_prev = kGenesis);

}  // namespace huoyan::audit_chain
