// huoyan: serve | migrate | demo | backup | restore | audit verify | routes
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>
#include <toml++/toml.h>

#include "app/audit.h"
#include "app/backups.h"
#include "app/bootstrap.h"
#include "app/users.h"
#include "domain/clock.h"
#include "http/api.h"
#include "http/handlers/handlers.h"
#include "http/server.h"
#include "bench/match.h"
#include "iot/mqtt_gateway.h"
#include "iot/simulator.h"
#include "jobs/scheduler.h"
#include "store/migrations.h"

using namespace huoyan;

// jemalloc (linked in CMakeLists.txt): blocks under 1 MiB (a request's buffers) are kept 10 s for reuse, as by
// default; handing them back at once cost the permit list ~20 % of its speed in page faults. Blocks of 1 MiB and
// more (argon2id's 64 MiB per login, an export's buffers) come from jemalloc's arena for large blocks, which
// hands them back at once: under a login load the process stays at ~145 MB and falls to ~80 MB after.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "dirty_decay_ms:10000,muzzy_decay_ms:0,oversize_threshold:1048576";
}

namespace {

struct Config {
  std::string db = "sqlite:data/huoyan.db";
  std::string key_file;  // empty: beside the SQLite file, or data/huoyan.key (store::Db::open)
  std::string listen = "127.0.0.1:8080";
  std::string web_root = "web/dist";
  std::string town = "示例镇";
  int workers = 0;        // 0: twice the cores (run_serve)
  int write_workers = 0;  // 0: by database (run_serve)
  bool trust_proxy = false;
  bool secure_cookies = false;
  bool test_clock = false;
  std::string mqtt;         // "host:port" of the broker; empty: no MQTT gateway
  std::string mqtt_client = "huoyan-gateway";
  std::string mqtt_shared;  // shared-subscription group for several instances
  app::BackupConfig backup;
};

// Precedence: command line > environment (HUOYAN_*) > config file > defaults.
void apply_file_and_env(Config& c, const std::string& path) {
  if (!path.empty()) {
    auto t = toml::parse_file(path);
    c.db = t["database"]["url"].value_or(c.db);
    c.key_file = t["database"]["key_file"].value_or(c.key_file);
    c.listen = t["server"]["listen"].value_or(c.listen);
    c.web_root = t["server"]["web_root"].value_or(c.web_root);
    c.workers = t["server"]["workers"].value_or(c.workers);
    c.write_workers = t["server"]["write_workers"].value_or(c.write_workers);
    c.trust_proxy = t["server"]["trust_proxy"].value_or(c.trust_proxy);
    c.secure_cookies = t["server"]["secure_cookies"].value_or(c.secure_cookies);
    c.town = t["town"]["name"].value_or(c.town);
    c.mqtt = t["mqtt"]["broker"].value_or(c.mqtt);
    c.mqtt_client = t["mqtt"]["client_id"].value_or(c.mqtt_client);
    c.mqtt_shared = t["mqtt"]["shared_group"].value_or(c.mqtt_shared);
    c.backup.dir = t["backup"]["dir"].value_or(c.backup.dir);
    c.backup.copy_to = t["backup"]["copy_to"].value_or(c.backup.copy_to);
    c.backup.scheduled = t["backup"]["scheduled"].value_or(c.backup.scheduled);
  }
  auto env = [](const char* name, std::string& out) {
    if (const char* v = std::getenv(name); v && *v) out = v;
  };
  env("HUOYAN_DB", c.db);
  env("HUOYAN_KEY_FILE", c.key_file);
  env("HUOYAN_LISTEN", c.listen);
  env("HUOYAN_WEB_ROOT", c.web_root);
  env("HUOYAN_TOWN", c.town);
  env("HUOYAN_MQTT", c.mqtt);
  env("HUOYAN_BACKUP_DIR", c.backup.dir);
  env("HUOYAN_BACKUP_COPY_TO", c.backup.copy_to);
  if (const char* v = std::getenv("HUOYAN_BACKUP_SCHEDULED"); v && *v) c.backup.scheduled = std::string(v) != "0";
}

// The server asks for a connection per thread that may query, so no request waits for one while its thread
// could run (PostgreSQL's time per query is mostly the round trip).
std::unique_ptr<store::Db> open_db(const Config& c, int connections = 4) {
  if (c.db.rfind("sqlite:", 0) == 0) {
    auto dir = std::filesystem::path(c.db.substr(7)).parent_path();
    if (!dir.empty() && c.db.substr(7) != ":memory:") std::filesystem::create_directories(dir);
  }
  return store::Db::open(c.db, connections, c.key_file);
}

int run_serve(const Config& c) {
  auto colon = c.listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen 需要 地址:端口，例如 127.0.0.1:8080");
  http::ServerOptions o;
  o.address = c.listen.substr(0, colon);
  o.port = static_cast<unsigned short>(std::stoi(c.listen.substr(colon + 1)));
  o.web_root = c.web_root;
  // Reads: past twice the cores, threads only take turns on them. 2 cores, 10,000 permits, 64 connections, GET
  // threads 2 / 3 / 4 / 8: SQLite permit list 15.5 / 16.1 / 15.0 / 11.9k req/s; PostgreSQL (whose backends share the
  // cores) 5.1 / 5.9 / 6.3 / 5.6k, p99 20 / 18 / 18 / 29 ms.
  o.worker_threads = c.workers > 0 ? c.workers : 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // SQLite has one writer thread whose commit groups hold the commands waiting for it, at most one per write
  // thread (64 connections creating drafts, 10,000 permits: 16 threads 2.8-3.0k req/s, 48: 3.6-4.1k, 64 and 96:
  // 3.5-3.8k); on PostgreSQL each command commits alone and more at once only queue on the same rows, such as
  // the day's number counter (32 threads: 115 create + submit pairs/s, 8: 158, 4: 182).
  bool sqlite = c.db.rfind("sqlite:", 0) == 0;
  o.write_threads = c.write_workers > 0 ? c.write_workers : sqlite ? 48 : o.worker_threads;
  o.trust_proxy = c.trust_proxy;
  o.secure_cookies = c.secure_cookies;
  o.bulk_threads = std::max(1, o.worker_threads / 2);
  auto db = open_db(c, o.worker_threads + o.write_threads + o.bulk_threads + 2);  // + the timers and the device gateway
  auto boot = app::bootstrap(*db, c.town);
  if (boot.initial_admin_password)
    std::cout << "已创建首个管理员账号：admin  初始密码：" << *boot.initial_admin_password
              << "（首次登录后须修改密码，并用手机验证器绑定动态口令）" << std::endl;
  http::enable_test_clock(c.test_clock);
  if (c.test_clock) spdlog::warn("test clock enabled: POST /api/test/clock can move time (never in production)");
  app::configure_backups(*db, c.backup);
  app::recover_interrupted_backups(*db);
  // The backup thread uses the Db: however serve ends, it is joined before the Db goes.
  struct BackupsJoined {
    ~BackupsJoined() { app::wait_for_backups(); }
  } backups_joined;
  jobs::Scheduler timers(*db, std::chrono::seconds(30));
  std::unique_ptr<iot::MqttGateway> gateway;
  if (!c.mqtt.empty()) {
    auto colon = c.mqtt.rfind(':');
    iot::MqttOptions m;
    m.host = c.mqtt.substr(0, colon);
    m.port = colon == std::string::npos ? 1883 : std::stoi(c.mqtt.substr(colon + 1));
    m.client_id = c.mqtt_client;
    m.shared_group = c.mqtt_shared;
    gateway = std::make_unique<iot::MqttGateway>(*db, m);
  }
  http::serve(*db, o);
  gateway.reset();
  timers.stop();
  return 0;
}

int run_backup(const Config& c, const std::string& out) {
  if (c.db.rfind("sqlite:", 0) != 0) {
    std::cerr << "PostgreSQL 请使用 pg_dump 备份，例如：\n  pg_dump --format=custom --file=huoyan.dump \"" << app::pg_dump_target(c.db).url
              << "\"\n恢复：pg_restore --clean --dbname=<URL> huoyan.dump\n";
    return 2;
  }
  std::string target = out;
  if (target.empty()) {
    std::string stamp = clock::iso_utc(clock::now());
    for (char& ch : stamp)
      if (ch == ':') ch = '-';
    target = "backups/huoyan-" + stamp + ".db";
  }
  if (auto dir = std::filesystem::path(target).parent_path(); !dir.empty()) std::filesystem::create_directories(dir);
  nlohmann::json counts;
  try {
    counts = app::copy_sqlite_database(c.db.substr(7), target);
  } catch (const std::exception& e) {
    std::cerr << "备份失败：" << e.what() << "\n";
    return 1;
  }
  std::cout << "已备份到 " << target << "，校验通过：" << counts.dump() << "\n"
            << "加密字段的密钥文件 " << store::key_file_for(c.db, c.key_file)
            << " 不在备份中：请另行保存一份（与备份分开存放）；恢复时两者都要\n";
  return 0;
}

int run_restore(const Config& c, const std::string& file) {
  if (c.db.rfind("sqlite:", 0) != 0) {
    std::cerr << "PostgreSQL 请先停止服务，再用 pg_restore 恢复，例如：\n  pg_restore --clean --if-exists --dbname=\""
              << app::pg_dump_target(c.db).url << "\" " << file << "\n";
    return 2;
  }
  try {
    auto restored = app::restore_sqlite_database(file, c.db.substr(7), store::key_file_for(c.db, c.key_file));
    std::cout << "已从 " << file << " 恢复，校验通过：" << restored.counts.dump() << "\n";
    if (!restored.set_aside.empty()) std::cout << "原数据库已另存为 " << restored.set_aside << "（确认无误后可删除）\n";
    std::cout << "加密字段须用备份时的密钥文件 " << store::key_file_for(c.db, c.key_file)
              << "：启动时校验，不符则拒绝启动。现在可以启动服务。\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "恢复失败，数据库未改动：" << e.what() << "\n";
    return 1;
  }
}

void print_routes() {
  nlohmann::json out = nlohmann::json::array();
  static const char* types[] = {"string", "integer", "boolean", "string[]", "integer[]", "number", "object", "object[]"};
  for (const auto& r : http::routes()) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : r.body) fields.push_back({{"name", f.name}, {"type", types[static_cast<int>(f.type)]}});
    out.push_back({{"method", r.method},
                   {"path", r.path},
                   {"guard", r.guard == http::Guard::Public ? "public" : r.guard == http::Guard::Session ? "session" : "permission"},
                   {"permission", r.permission.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.permission)},
                   {"body", fields},
                   {"summary", r.summary}});
  }
  std::cout << out.dump(2) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are taken by sigwait in `serve`; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  CLI::App cli{"火眼 Huoyan — 动火作业全过程监管平台"};
  cli.require_subcommand(1);
  Config config;
  std::string config_file;
  std::string db_arg, key_file_arg, listen_arg, web_root_arg;
  cli.add_option("--config", config_file, "TOML 配置文件");
  cli.add_option("--db", db_arg, "数据库：sqlite:PATH（默认 data/huoyan.db）或 postgresql://...");

  auto* serve = cli.add_subcommand("serve", "启动服务");
  serve->add_option("--listen", listen_arg, "监听地址，默认 127.0.0.1:8080");
  serve->add_option("--web-root", web_root_arg, "前端构建目录，默认 web/dist");
  serve->add_flag("--test-clock", config.test_clock, "允许测试通过接口调整时钟（仅用于测试）");
  serve->add_flag("--trust-proxy", config.trust_proxy, "以反向代理（nginx）的 X-Real-IP 头为来源地址；直接对外时不要使用");
  std::string mqtt_arg, mqtt_client_arg;
  serve->add_option("--mqtt", mqtt_arg, "MQTT 代理地址 host:port，启用焊机设备网关");
  serve->add_option("--mqtt-client-id", mqtt_client_arg, "网关的 MQTT 客户端 ID（每个实例不同）");
  auto* migrate = cli.add_subcommand("migrate", "执行数据库迁移");
  auto* demo = cli.add_subcommand("demo", "在新数据库中载入演示镇（金凤镇）数据");
  std::string demo_scale = "town";
  demo->add_option("--scale", demo_scale, "town：演示镇；city：另加城市规模数据（5 万场所、200 万作业证等）；也可为倍数，如 0.01")
      ->check([](const std::string& v) -> std::string {
        if (v == "town" || v == "city") return "";
        try {
          double f = std::stod(v);
          if (f > 0 && f <= 2) return "";
        } catch (...) {
        }
        return "须为 town、city 或 0 到 2 之间的倍数";
      });
  auto* backup = cli.add_subcommand("backup", "备份数据库（SQLite 在线备份）");
  std::string backup_out;
  backup->add_option("--out", backup_out, "备份文件路径");
  auto* restore = cli.add_subcommand("restore", "用备份替换 SQLite 数据库（先校验备份；须在服务停止时运行，原库另存）");
  std::string restore_file;
  restore->add_option("file", restore_file, "备份文件（.db）")->required();
  auto* audit = cli.add_subcommand("audit", "审计日志");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "校验审计日志哈希链");
  auto* user = cli.add_subcommand("user", "账号");
  user->require_subcommand(1);
  auto* reset_password = user->add_subcommand("reset-password", "为无法登录的账号（如唯一的管理员）设一次性新密码；须在服务停止时运行");
  std::string reset_username;
  bool reset_second_factor = false;
  reset_password->add_option("username", reset_username, "用户名")->required();
  reset_password->add_flag("--second-factor", reset_second_factor, "同时解除动态口令绑定（遗失手机验证器）");
  auto* simulate = cli.add_subcommand("simulate", "模拟一支加芯焊机队伍，经 MQTT 代理上报（需先 make mqtt）");
  iot::SimulateOptions sim;
  std::string sim_mqtt = "127.0.0.1:1883";
  simulate->add_option("--mqtt", sim_mqtt, "MQTT 代理地址 host:port");
  simulate->add_option("--machines", sim.machines, "焊机台数")->check(CLI::Range(1, 1000000));
  simulate->add_option("--rate", sim.rate, "高峰后每秒上报条数")->check(CLI::Range(0.0, 1e6));
  simulate->add_option("--violations", sim.violations, "无证开机的比例（0–1）")->check(CLI::Range(0.0, 1.0));
  simulate->add_option("--seconds", sim.seconds, "运行秒数（0 为直到中断）")->check(CLI::Range(0, 86400));
  auto* bench_match = cli.add_subcommand("bench-match", "基准：进程内遥测匹配（单核，事件/秒）");
  long long match_machines = 200000, match_events = 20000000;
  bench_match->add_option("--machines", match_machines)->check(CLI::Range(1LL, 10000000LL));
  bench_match->add_option("--events", match_events)->check(CLI::Range(1LL, 10000000000LL));
  auto* routes = cli.add_subcommand("routes", "列出全部接口（--json）");
  bool routes_json = false;
  routes->add_flag("--json", routes_json, "JSON 格式");
  for (auto* sub : {serve, migrate, demo, backup, restore, verify, simulate, reset_password}) {
    sub->add_option("--db", db_arg, "数据库 URL");
    sub->add_option("--key-file", key_file_arg, "加密字段的密钥文件（默认：SQLite 库文件名加 .key；PostgreSQL 为 data/huoyan.key）");
    sub->add_option("--config", config_file, "TOML 配置文件");
  }
  CLI11_PARSE(cli, argc, argv);

  try {
    apply_file_and_env(config, config_file);
    if (!db_arg.empty()) config.db = db_arg;
    if (!key_file_arg.empty()) config.key_file = key_file_arg;
    if (!listen_arg.empty()) config.listen = listen_arg;
    if (!web_root_arg.empty()) config.web_root = web_root_arg;
    if (!mqtt_arg.empty()) config.mqtt = mqtt_arg;
    if (!mqtt_client_arg.empty()) config.mqtt_client = mqtt_client_arg;

    if (*serve) return run_serve(config);
    if (*routes) {
      print_routes();
      return 0;
    }
    if (*backup) return run_backup(config, backup_out);
    if (*restore) return run_restore(config, restore_file);
    if (*bench_match) {
      std::cout << bench::run_match(match_machines, match_events).dump() << "\n";
      return 0;
    }
    auto db = open_db(config);
    if (*migrate) {
      auto boot = app::bootstrap(*db, config.town);
      std::cout << "迁移完成：本次执行 " << boot.migrations_applied << " 个，当前版本 " << store::schema_version(*db) << "\n";
      if (boot.initial_admin_password)
        std::cout << "已创建首个管理员账号：admin  初始密码：" << *boot.initial_admin_password << "（首次登录后须修改密码，并用手机验证器绑定动态口令）\n";
      return 0;
    }
    if (*demo) {
      auto logins = app::load_demo(*db);
      if (demo_scale != "town") {
        auto city = app::load_city(*db, app::city_scale(demo_scale == "city" ? 1.0 : std::stod(demo_scale)));
        // The timers' first pass over a new city raises the alerts of its certificates that expire soon or have
        // expired (some 20,000 of 200,000): done here, where a running city would have raised them day by day,
        // so that a server started on it serves at once instead of catching up for its first minute.
        auto timers_start = std::chrono::steady_clock::now();
        city["rows"]["timerChanges"] = jobs::run_timers(*db);
        city["steps"]["timers"] = std::round(std::chrono::duration<double>(std::chrono::steady_clock::now() - timers_start).count() * 100) / 100;
        std::cout << "城市规模数据已生成，用时 " << city["seconds"] << " 秒：" << city.dump() << "\n";
      }
      std::cout << "演示镇（金凤镇）数据已就绪。演示账号（密码均为 " << app::kDemoPassword << "）：\n";
      for (const auto& l : logins) std::cout << "  " << l.username << "\t" << l.name << "\t" << l.role << "\n";
      return 0;
    }
    if (*simulate) {
      auto colon = sim_mqtt.rfind(':');
      sim.host = sim_mqtt.substr(0, colon);
      sim.port = colon == std::string::npos ? 1883 : std::stoi(sim_mqtt.substr(colon + 1));
      return iot::simulate(*db, sim);
    }
    if (*reset_password) {
      // A running server keeps copies of accounts and sessions that only its own writes refresh: stop it first
      // (the output says to restart it otherwise).
      app::load_field_key(*db);
      auto reset = app::reset_password_from_console(*db, reset_username, reset_second_factor);
      std::cout << "已重置账号 " << reset_username << " 的密码，一次性新密码：" << reset.password << "（登录后须立即修改）\n";
      if (reset_second_factor)
        std::cout << (reset.second_factor_cleared ? "已解除其动态口令绑定，下次登录时重新绑定。\n" : "该账号未绑定动态口令。\n");
      std::cout << "如服务仍在运行，请现在重启服务：运行中的服务保留账号和会话的副本，重启后该账号原有的登录会话才全部失效。\n";
      return 0;
    }
    if (*verify) {
      auto check = app::verify_chain(*db);
      if (check.ok) {
        std::cout << "OK 审计日志链完整：已校验 " << check.checked << " 条记录\n";
        return 0;
      }
      std::cout << "BROKEN 审计日志链已被破坏：第一处断点在记录 id=" << check.broken_at << "（此前 " << check.checked
                << " 条完好）\n";
      return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "错误：" << e.what() << "\n";
    return 1;
  }
  return 0;
}
