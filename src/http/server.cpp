#include "http/server.h"

#include <spdlog/spdlog.h>

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <chrono>
#include <csignal>
#include <restinio/all.hpp>

#include "domain/clock.h"
#include "domain/field_cipher.h"
#include "http/alert_feed.h"
#include "http/dispatch.h"
#include "http/handlers/handlers.h"
#include "http/metrics.h"
#include "http/route_engine.h"
#include "http/static_site.h"

// jemalloc's control call when the executable links jemalloc (main.cpp); null otherwise (the unit tests).
extern "C" int mallctl(const char* name, void* old, size_t* old_size, void* value, size_t value_size) __attribute__((weak));

namespace huoyan::http {

namespace {

// After a large answer (an export): the tens of MB it freed stay in this thread's jemalloc arena for 10 s (main.cpp),
// so exports run on other worker threads would each keep their own. Handed back to the system now instead.
void release_freed_memory(size_t answer_bytes) {
  if (answer_bytes > (1u << 20) && mallctl) mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);  // 4096: all arenas
}

// PCRE2, not std::regex: a request is matched against the routes in turn, and libstdc++'s regex made that a
// twentieth of a permit's detail.
using router_t = restinio::router::express_router_t<RouteRegexEngine>;
struct traits_t : restinio::default_traits_t {
  using request_handler_t = router_t;
};

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 423: return "Locked";
    case 429: return "Too Many Requests";
    default: return status >= 500 ? "Internal Server Error" : "Error";
  }
}

void send(const restinio::request_handle_t& req, Reply r) {
  auto resp = req->create_response(
      restinio::http_status_line_t{restinio::http_status_code_t{static_cast<std::uint16_t>(r.status)}, reason_phrase(r.status)});
  resp.append_header(restinio::http_field::content_type, r.content_type);
  resp.append_header("X-Content-Type-Options", "nosniff");
  resp.append_header("X-Frame-Options", "DENY");
  resp.append_header("Referrer-Policy", "same-origin");
  // The server's own clock (moved in tests), for countdowns on clients whose clocks drift.
  resp.append_header("X-Server-Time", clock::iso_utc(clock::now()));
  bool has_cache_control = false;
  for (const auto& [name, value] : r.headers) {
    resp.append_header(name, value);
    if (name == "Cache-Control") has_cache_control = true;
  }
  if (!has_cache_control) resp.append_header("Cache-Control", "no-store");
  resp.set_body(std::move(r.body));
  resp.done();
}

Request to_request(const restinio::request_handle_t& req, bool trust_proxy) {
  Request r;
  r.method = req->header().method().c_str();
  r.path = std::string(req->header().path());
  req->header().for_each_field([&](const restinio::http_header_field_t& f) {
    std::string name = f.name();
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    r.headers[name] = f.value();
  });
  r.body = req->body();
  r.remote_ip = req->remote_endpoint().address().to_string();
  if (trust_proxy && !r.header("x-real-ip").empty()) r.remote_ip = r.header("x-real-ip").substr(0, 45);
  // Not restinio::parse_query: it read "?&state=closed" as the key "&state" and so dropped the filter.
  r.query = parse_query(req->header().query());
  return r;
}

std::vector<std::string> param_names(const std::string& path) {
  std::vector<std::string> names;
  size_t pos = 0;
  while ((pos = path.find(':', pos)) != std::string::npos) {
    size_t end = path.find('/', pos);
    names.push_back(path.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1));
    pos = end == std::string::npos ? path.size() : end;
  }
  return names;
}

restinio::http_method_id_t method_id(const std::string& m) {
  if (m == "GET") return restinio::http_method_get();
  if (m == "POST") return restinio::http_method_post();
  if (m == "PUT") return restinio::http_method_put();
  if (m == "DELETE") return restinio::http_method_delete();
  throw std::logic_error("unsupported method " + m);
}

}  // namespace

void serve(store::Db& db, const ServerOptions& options) {
  set_secure_cookies(options.secure_cookies);
  StaticSite site;
  size_t files = site.load(options.web_root);
  if (files == 0)
    spdlog::warn("no web app at {} (run `make web`); serving the API only", options.web_root);
  else
    spdlog::info("web app: {} files from {}", files, options.web_root);

  const auto& table = routes();
  Metrics& stats = metrics();
  // Commands get their own pool: on SQLite a command's thread waits until the group of commands it joined has
  // committed, and a group can only be as large as the threads that can wait in it (one commit, one fsync and one
  // write of each shared page serve the whole group). Reads keep a pool sized to the cores, whatever the writes do.
  asio::thread_pool readers(static_cast<size_t>(options.worker_threads));
  asio::thread_pool writers(static_cast<size_t>(options.write_threads));
  // An export reads a whole ledger (100,000 hazards: 2 s): on the readers' threads, as many exports as there are
  // threads at once would stop every other read until they were done.
  asio::thread_pool exports(static_cast<size_t>(options.bulk_threads));
  AlertFeed alert_feed(db);

  auto router = std::make_unique<router_t>();
  for (size_t i = 0; i < table.size(); ++i) {
    const Route& route = table[i];
    auto names = param_names(route.path);
    asio::thread_pool* pool = route.bulk ? &exports : route.method == "GET" ? &readers : &writers;
    router->add_handler(method_id(route.method), route.path,
                        [&, i, names, pool](restinio::request_handle_t req, restinio::router::route_params_t params) {
                          auto start = std::chrono::steady_clock::now();
                          Request request;
                          try {
                            request = to_request(req, options.trust_proxy);
                          } catch (const std::exception&) {
                            send(req, Reply::error(400, "INVALID_QUERY", "查询参数格式不正确"));
                            return restinio::request_accepted();
                          }
                          for (const auto& n : names) request.params[n] = std::string(params[n]);
                          asio::post(*pool, [&, i, req, start, request = std::move(request)]() mutable {
                            Reply reply = dispatch(table[i], request, db);
                            field_cipher::wipe(request.body);  // a password or code in it (剩余信息保护)
                            int status = reply.status;
                            size_t bytes = reply.body.size();
                            if (reply.alert_feed) alert_feed.subscribe(req, reply.alert_feed->caller, reply.alert_feed->since);
                            else send(req, std::move(reply));
                            release_freed_memory(bytes);
                            stats.observe(i, status, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
                          });
                          return restinio::request_accepted();
                        });
  }
  router->non_matched_request_handler([&](restinio::request_handle_t req) {
    auto start = std::chrono::steady_clock::now();
    std::string path(req->header().path());
    std::optional<Reply> reply;
    if (req->header().method() == restinio::http_method_get() || req->header().method() == restinio::http_method_head())
      reply = site.serve(path, req->header().get_field_or("Accept-Encoding", ""));
    if (!reply) reply = Reply::error(404, "NOT_FOUND", "请求的地址不存在");
    int status = reply->status;
    send(req, std::move(*reply));
    stats.observe(table.size(), status, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return restinio::request_accepted();
  });

  auto server = restinio::run_async<traits_t>(
      restinio::own_io_context(),
      restinio::server_settings_t<traits_t>{}
          .address(options.address)
          .port(options.port)
          .request_handler(std::move(router))
          .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}.max_body_size(16u * 1024 * 1024))
          .read_next_http_message_timelimit(std::chrono::seconds(60))
          .handle_request_timeout(std::chrono::seconds(60)),
      static_cast<std::size_t>(options.io_threads));
  spdlog::info("Huoyan serving on http://{}:{} ({} database)", options.address, options.port, db.kind());

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("signal {}: shutting down", received);
  alert_feed.stop();
  server->stop();
  server->wait();
  readers.join();
  writers.join();
  exports.join();
}

}  // namespace huoyan::http
