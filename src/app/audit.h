#pragma once
// The append-only, hash-chained audit log. Every use case that changes state
// calls record() inside its own transaction, so the change and its audit row
// commit or roll back together.
#include <nlohmann/json.hpp>
#include <string>

#include "app/query.h"
#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

// summary is {"before": ..., "after": ...} (either may be null).
void record(store::Conn& c, const access::Caller& who, const std::string& action, const std::string& target_type,
            const std::string& target_id, const nlohmann::json& before, const nlohmann::json& after);
// 等保 安全审计 (导出、下载, 审计记录的查询): `who` exported or searched `target_type` under these filters (after:
// {filters}). Its own transaction, after the read it records.
void record_read(store::Db& db, const access::Caller& who, const std::string& action, const std::string& target_type,
                   const QueryMap& filters);

// Numbered pages with a total, or keyset pages (?cursor=first, then nextCursor) without one.
nlohmann::json list_audit(store::Db& db, const QueryMap& q);
// {total} under the list's filters.
nlohmann::json count_audit(store::Db& db, const QueryMap& q);

struct ChainCheck {
  bool ok = true;
  long long checked = 0;
  long long broken_at = 0;  // id of the first row that fails, 0 if none
};
ChainCheck verify_chain(store::Db& db);

// 等保 安全审计 c (the audit log is not lost to a full disk): when the disk holding the SQLite database has less
// free space than the security policy's storageAlertPercent, the holders of security:write and audit:read are told,
// once a day while it lasts (event system.storage_low). PostgreSQL's disk is the database server's, watched there.
// Returns the notices sent (0 or 1).
int run_storage_check(store::Db& db);

}  // namespace huoyan::app
