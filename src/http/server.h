#pragma once
// The HTTP server: RESTinio on a few I/O threads, handlers on three worker pools (reads, commands, exports)
// (database calls and password hashing must not block I/O). The only header
// of the project that callers need to start it; RESTinio stays in server.cpp.
#include <string>

#include "store/db.h"

namespace huoyan::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  std::string web_root = "web/dist";
  int io_threads = 1;
  int worker_threads = 4;   // reads (GET); serve sets twice the cores: more only take turns on them
  int write_threads = 16;   // commands (on SQLite mostly waiting for their group's commit: store::Db::write)
  int bulk_threads = 2;     // whole-ledger exports (Route::bulk), so that a few at once cannot hold up the reads
  bool trust_proxy = false;   // take the client address from X-Real-IP (behind nginx)
  bool secure_cookies = false;
};

// Serves until SIGINT or SIGTERM, then stops accepting, finishes requests in
// flight and returns. The caller must have blocked both signals in every thread.
void serve(store::Db& db, const ServerOptions& options);

}  // namespace huoyan::http
