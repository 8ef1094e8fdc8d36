#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/audit.h"
#include "app/alerts.h"
#include "app/auth.h"
#include "app/bootstrap.h"
#include "app/permits.h"
#include "app/personal_data.h"
#include "domain/clock.h"

// The demo town: 金凤镇 of 重庆高新区 with its nine posts, villages and
// communities, people, and the registries hot work needs. Names of places are
// real (statistics-bureau codes); people, units and numbers are invented, with
// valid check digits.
namespace huoyan::app {

namespace {

using clock::now_iso;

struct DemoVenue {
  const char* name;
  const char* type;
  bool entertainment;
  const char* village;
  std::vector<const char*> supervisors;
  const char* hours;  // "HH:MM-HH:MM" every day, or "" for none
  double lat, lng;
  const char* principal;
  const char* phone;
};

nlohmann::json every_day(const std::string& hours) {
  nlohmann::json out = nlohmann::json::array();
  if (hours.empty()) return out;
  for (int d = 0; d < 7; ++d) out.push_back({{"weekday", d}, {"from", hours.substr(0, 5)}, {"to", hours.substr(6, 5)}});
  return out;
}

void load_demo_registries(store::Conn& c, const std::map<std::string, long long>& org) {
  std::string now = now_iso(), today = clock::today();
  long long venue_mgr = c.scalar("SELECT id FROM users WHERE username = 'venue_mgr'");
  // One venue of every crowded-place type, supervised by the post that owns the sector.
  const DemoVenue venues[] = {
      {"金凤镇龙凤宾馆", "hotel", false, "龙凤社区", {"商贸发展岗"}, "00:00-24:00", 29.4431, 106.3582, "刘德文", "13883510001"},
      {"金凤老火锅", "restaurant", false, "龙凤社区", {"商贸发展岗", "市场监督岗"}, "10:00-23:00", 29.4425, 106.3571, "罗晓燕", "13883510002"},
      {"金凤商业广场", "mall", false, "金凤佳园社区", {"商贸发展岗", "市场监督岗"}, "10:00-22:00", 29.4402, 106.3615, "冯建华", "13983040001"},
      {"金凤农贸市场", "market", false, "新凤社区", {"市场监督岗", "商贸发展岗", "安全应急岗"}, "06:00-19:00", 29.4390, 106.3550, "黄明", "13883510004"},
      {"金凤客运站候车室", "bus_station", false, "新凤社区", {"城市管理岗"}, "06:30-20:30", 29.4378, 106.3598, "吴刚", "13883510005"},
      {"海兰湖游船码头候船厅", "wharf", false, "海兰村", {"城市管理岗"}, "08:30-18:00", 29.4520, 106.3420, "杨平", "13883510006"},
      {"高新区通航机场航站楼", "airport", false, "白鹤村", {"城市管理岗"}, "07:00-21:00", 29.4600, 106.3300, "陈涛", "13883510007"},
      {"金凤全民健身中心", "stadium", false, "金凤佳园社区", {"文教体旅岗"}, "08:00-21:30", 29.4410, 106.3640, "周丽", "13883510008"},
      {"金凤镇便民服务中心会堂", "hall", false, "龙凤社区", {"城市管理岗"}, "09:00-17:30", 29.4435, 106.3590, "李建", "13883510009"},
      {"金凤星光KTV", "entertainment", true, "龙凤社区", {"文教体旅岗", "商贸发展岗", "安全应急岗"}, "14:00-02:00", 29.4428, 106.3602, "邓华", "13883510010"},
      {"金凤镇卫生院", "hospital", false, "龙凤社区", {"民政社事岗"}, "00:00-24:00", 29.4440, 106.3560, "张卫民", "13883510011"},
      {"金凤镇敬老院", "elderly_care", false, "九凤村", {"民政社事岗"}, "00:00-24:00", 29.4480, 106.3500, "何秀兰", "13883510012"},
      {"金凤儿童福利院", "welfare_home", false, "九凤村", {"民政社事岗"}, "00:00-24:00", 29.4485, 106.3510, "谢红", "13883510013"},
      {"金凤镇中心托儿所", "nursery", false, "金凤佳园社区", {"文教体旅岗"}, "07:30-18:00", 29.4415, 106.3620, "孙芳", "13883510014"},
      {"金凤镇中心幼儿园", "kindergarten", false, "新凤社区", {"文教体旅岗"}, "07:30-18:00", 29.4385, 106.3565, "赵敏", "13883510015"},
      {"金凤中学", "school", false, "金凤佳园社区", {"文教体旅岗"}, "07:00-21:30", 29.4398, 106.3660, "钱校长", "13883510016"},
      {"金凤职业技能培训学校", "training", false, "新凤社区", {"文教体旅岗"}, "08:30-21:00", 29.4382, 106.3580, "王培", "13883510017"},
      {"金凤镇图书馆", "library", false, "龙凤社区", {"文教体旅岗"}, "09:00-20:00", 29.4438, 106.3595, "许静", "13883510018"},
      {"金凤非遗展览馆", "exhibition", false, "文昌村", {"文教体旅岗"}, "09:00-17:00", 29.4550, 106.3450, "唐文", "13883510019"},
      {"金凤电子产业园一号车间", "factory_workshop", false, "虎峰村", {"企业服务岗", "规建环保岗"}, "08:00-20:00", 29.4350, 106.3700, "曹建设", "13883510020"},
      {"金凤产业园员工宿舍", "dormitory", false, "虎峰村", {"企业服务岗"}, "00:00-24:00", 29.4345, 106.3710, "彭舍", "13883510021"},
      {"白鹤林景区游客中心", "tourism", false, "白鹤村", {"文教体旅岗", "乡村振兴岗"}, "08:30-17:30", 29.4610, 106.3350, "蒋游", "13883510022"},
      {"九凤山寺", "religious", false, "九凤村", {"民政社事岗"}, "07:00-17:00", 29.4500, 106.3480, "释明", "13883510023"},
      {"金凤里综合体", "mixed", false, "金凤佳园社区", {"商贸发展岗", "市场监督岗", "规建环保岗"}, "09:00-22:00", 29.4405, 106.3630, "冯建华", "13983040001"},
  };
  for (const auto& v : venues) {
    // Venues whose principal has an account are managed (and their permits approved) by it.
    long long manager = std::string(v.principal) == "冯建华" ? venue_mgr
                        : c.scalar("SELECT COALESCE(MAX(id), 0) FROM users WHERE phone_hash = ? AND username LIKE 'vm_%'",
                                   {personal::lookup(c.db(), v.phone)});
    long long id = c.insert(
        "INSERT INTO venues (name, type, crowded, entertainment, address, org_unit_id, lat, lng, geofence_radius, "
        "opening_hours, closed_dates, principal_name, principal_phone, fire_manager_name, fire_manager_phone, "
        "manager_user_id, qr_token, created_by, created_at, updated_at) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, 200, ?, '[]', ?, ?, ?, ?, ?, ?, 1, ?, ?)",
        {std::string(v.name), std::string(v.type), static_cast<long long>(v.entertainment),
         std::string("重庆高新区金凤镇") + v.village, org.at(v.village), v.lat, v.lng, every_day(v.hours).dump(),
         std::string(v.principal), personal::seal(c.db(), v.phone), std::string(v.principal), personal::seal(c.db(), v.phone),
         manager ? store::Value(manager) : store::Value(nullptr), random_token(12), now, now});
    for (const char* s : v.supervisors)
      c.exec("INSERT INTO venue_supervisors (venue_id, org_unit_id) VALUES (?, ?)", {id, org.at(s)});
  }

  struct DemoUnit {
    const char* name;
    const char* code;
    const char* kind;
    const char* contact;
    const char* phone;
  };
  const DemoUnit units[] = {
      {"重庆金凤建筑安装工程有限公司", "915001070AY4CL12TX", "contractor", "邓强", "13983050001"},
      {"重庆九凤钢结构工程有限公司", "915001070H3BJ1XG6U", "contractor", "高远", "13883520002"},
      {"重庆海兰装饰工程有限公司", "91500107012DD272H1", "contractor", "林峰", "13883520003"},
      {"重庆白鹤劳务派遣有限公司", "915001070D1TJ3Y7L4", "labour_dispatch", "曾丽", "13883520004"},
      {"重庆金凤商业管理有限公司", "915001070LJY1JJC15", "venue_operator", "冯建华", "13983040001"},
      {"重庆虎峰电子科技有限公司", "91500107071HU49D4T", "employer", "曹建设", "13883510020"},
  };
  std::vector<long long> unit_ids;
  for (const auto& u : units)
    unit_ids.push_back(c.insert(
        "INSERT INTO units (name, credit_code, kind, contact_name, contact_phone, address, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, '重庆高新区金凤镇', 1, ?, ?)",
        {std::string(u.name), std::string(u.code), std::string(u.kind), std::string(u.contact), personal::seal(c.db(), u.phone), now, now}));

  struct DemoPerson {
    const char* name;
    const char* citizen_id;
    const char* phone;
    int unit;
    const char* username;  // linked account, or ""
    const char* cert;      // certificate state to give: valid | expiring | expired | review | revoked | builder | none
  };
  const DemoPerson people[] = {
      {"唐国庆", "50010719780312653X", "13983060001", 0, "welder", "valid"},
      {"蒋超", "500107198509072205", "13983060002", 0, "welder2", "valid"},
      {"邓强", "500107199001156840", "13983050001", 0, "contractor", "none"},
      {"曾小燕", "500107197206284150", "13983070001", 0, "firewatch", "none"},
      {"高建", "500107198811036731", "13883530005", 1, "", "valid"},
      {"石磊", "500107199305219353", "13883530006", 1, "", "expiring"},
      {"马骏", "500107196902147980", "13883530007", 1, "", "expired"},
      {"傅勇", "500107198208302855", "13883530008", 2, "", "review"},
      {"宋涛", "500107199507192056", "13883530009", 2, "", "revoked"},
      {"田亮", "50010719870402695X", "13883530010", 3, "", "builder"},
      {"秦岭", "500107197609256840", "13883530011", 3, "", "valid"},
      {"夏雨", "50010719911210754X", "13883530012", 1, "firewatch2", "none"},
      {"林芳", "500107198406172924", "13883530013", 1, "firewatch3", "none"},
  };
  for (const auto& p : people) {
    long long user = *p.username ? c.scalar("SELECT id FROM users WHERE username = ?", {std::string(p.username)}) : 0;
    long long person = c.insert(
        "INSERT INTO people (name, citizen_id, citizen_id_hash, phone, phone_hash, unit_id, user_id, created_by, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
        {std::string(p.name), personal::seal(c.db(), p.citizen_id), personal::lookup(c.db(), p.citizen_id), personal::seal(c.db(), p.phone),
         personal::lookup(c.db(), p.phone), unit_ids[p.unit], user ? store::Value(user) : store::Value(nullptr), now, now});
    std::string state = p.cert;
    if (state == "none") continue;
    std::string kind = state == "builder" ? "construction_welder" : "special_op_fusion";
    std::string number = state == "builder" ? "渝A04" + std::string(p.citizen_id).substr(10, 8) : "T" + std::string(p.citizen_id);
    std::string valid_until = clock::add_days(today, state == "expiring" ? 30 : state == "expired" ? -10 : 3 * 365);
    std::string next_review = state == "builder" ? "" : clock::add_days(today, state == "review" ? -5 : state == "expiring" ? 30 : 365);
    std::string status = state == "revoked" ? "revoked" : "valid";
    c.insert("INSERT INTO certificates (person_id, kind, number, number_hash, issuer, first_issued, valid_until, next_review, "
             "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
             {person, kind, personal::seal(c.db(), number), personal::lookup(c.db(), number), std::string(state == "builder" ? "重庆市住房和城乡建设委员会" : "重庆市应急管理局"),
              clock::add_days(today, -3 * 365), valid_until, next_review.empty() ? store::Value(nullptr) : store::Value(next_review),
              status, now, now});
  }

  const char* kinds[] = {"arc_welder", "arc_welder", "co2_welder", "argon_welder", "gas_welding_set", "plasma_cutter"};
  for (int i = 1; i <= 12; ++i) {
    char code[32], chip[32];
    std::snprintf(code, sizeof code, "JF-HJ-%04d", i);
    std::snprintf(chip, sizeof chip, "CHIP-5001-%06d", 1000 + i);
    c.insert("INSERT INTO machines (code, chip_id, unit_id, kind, model, status, device_secret, created_by, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
             {std::string(code), std::string(chip), unit_ids[(i - 1) % 3], std::string(kinds[(i - 1) % 6]),
              std::string(i % 2 ? "ZX7-400" : "NBC-350"), std::string(i == 12 ? "retired" : "active"), random_token(32), now, now});
  }
  c.changed(store::Topic::Rules);
  c.insert("INSERT INTO key_periods (name, starts_at, ends_at, note, created_at) VALUES (?, ?, ?, ?, ?)",
           {std::string("2026年春节"), std::string("2026-02-14T16:00:00Z"), std::string("2026-02-23T16:00:00Z"),
            std::string("春节期间动火作业升级管理"), now});
}

void load_demo_permits(store::Conn& c);
void load_demo_machine_activity(store::Conn& c);

}  // namespace

std::vector<DemoLogin> load_demo(store::Db& db) {
  bootstrap(db, "金凤镇");
  auto saved = db.read([](store::Conn& c) { return c.text("SELECT value FROM settings WHERE key = 'demo_logins'"); });
  if (saved) {
    std::vector<DemoLogin> logins;
    for (const auto& l : nlohmann::json::parse(*saved)) logins.push_back({l[0], l[1], l[2]});
    return logins;
  }
  std::string hash = hash_password(kDemoPassword);  // one hash for every demo account
  std::vector<DemoLogin> logins;
  db.write([&](store::Conn& c) {
    if (c.scalar("SELECT COUNT(*) FROM users WHERE username <> 'admin'") > 0)
      throw std::runtime_error("database already has users; the demo loads only into a new database");
    long long town = c.scalar("SELECT id FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    c.exec("UPDATE org_units SET name = '金凤镇', code = '500107104' WHERE id = ?", {town});
    std::string town_path = "/" + std::to_string(town) + "/";

    // The nine posts (岗位) of the 2025 rectification plan; the task force office sits in 安全应急岗.
    const char* departments[] = {"企业服务岗", "商贸发展岗", "乡村振兴岗", "安全应急岗", "规建环保岗",
                                 "民政社事岗", "城市管理岗", "文教体旅岗", "市场监督岗"};
    std::map<std::string, long long> org;
    int sort = 10;
    for (const char* d : departments) {
      org[d] = add_org(c, town, town_path, "department", d, "", sort);
      sort += 10;
    }
    // Villages and communities of 金凤镇 with their statistics-bureau codes.
    const std::pair<const char*, const char*> villages[] = {
        {"龙凤社区", "500107104001"}, {"金凤佳园社区", "500107104002"}, {"新凤社区", "500107104003"},
        {"大盐村", "500107104202"},   {"九凤村", "500107104203"},       {"海兰村", "500107104204"},
        {"白鹤村", "500107104205"},   {"虎峰村", "500107104206"},       {"文昌村", "500107104207"}};
    for (const auto& [name, code] : villages) {
      org[name] = add_org(c, town, town_path, "village", name, code, sort);
      sort += 10;
    }
    for (const char* v : {"龙凤社区", "九凤村"}) {
      std::string path = town_path + std::to_string(org[v]) + "/";
      for (int g = 1; g <= 3; ++g) {
        std::string name = std::string(v) + "第" + (g == 1 ? "一" : g == 2 ? "二" : "三") + "网格";
        org[name] = add_org(c, org[v], path, "grid", name, "", g * 10);
      }
    }
    c.exec("UPDATE users SET must_change_password = 0, password_hash = ?, org_unit_id = ?, name = '周建国' "
           "WHERE username = 'admin'",
           {hash, org["安全应急岗"]});
    logins.push_back({"admin", "周建国", "专班管理员"});
    // So that the demo can be tried with a password alone; an installation keeps the administrators' second factor.
    c.exec("UPDATE roles SET second_factor = 0 WHERE key IN ('admin', 'sys_admin', 'sec_admin', 'auditor')");

    struct Person {
      const char* username;
      const char* name;
      const char* phone;
      const char* org;
      const char* role;
      bool listed;  // printed as a demo login
    };
    const Person people[] = {
        {"sw_officer", "李晓梅", "13983010001", "商贸发展岗", "officer", true},
        {"wj_officer", "王志强", "13983010002", "文教体旅岗", "officer", true},
        {"qy_officer", "陈丽", "13983010003", "企业服务岗", "officer", false},
        {"xc_officer", "刘洋", "13983010004", "乡村振兴岗", "officer", false},
        {"gj_officer", "赵文斌", "13983010005", "规建环保岗", "officer", false},
        {"ms_officer", "孙静", "13983010006", "民政社事岗", "officer", false},
        {"cg_officer", "吴海", "13983010007", "城市管理岗", "officer", false},
        {"sj_officer", "郑红", "13983010008", "市场监督岗", "officer", false},
        {"sw_officer2", "何平", "13983010009", "商贸发展岗", "officer", false},
        {"grid_longfeng", "张秀英", "13983020001", "龙凤社区", "grid", true},
        {"grid_lf1", "杨帆", "13983020002", "龙凤社区第一网格", "grid", false},
        {"grid_jiufeng", "黄德明", "13983020003", "九凤村", "grid", false},
        {"inspector", "罗勇", "13983030001", "安全应急岗", "inspector", true},
        {"inspector2", "谢芳", "13983030002", "安全应急岗", "inspector", false},
        {"auditor", "钱慧", "13983030003", "安全应急岗", "auditor", true},
        {"sysadmin", "彭涛", "13983030004", "安全应急岗", "sys_admin", true},
        {"secadmin", "陶敏", "13983030005", "安全应急岗", "sec_admin", true},
        {"venue_mgr", "冯建华", "13983040001", "龙凤社区", "venue_manager", true},
        {"contractor", "邓强", "13983050001", "龙凤社区", "contractor", true},
        {"welder", "唐国庆", "13983060001", "龙凤社区", "welder", true},
        {"welder2", "蒋超", "13983060002", "龙凤社区", "welder", false},
        {"firewatch", "曾小燕", "13983070001", "龙凤社区", "fire_watch", true},
        {"firewatch2", "夏雨", "13883530012", "龙凤社区", "fire_watch", false},
        {"firewatch3", "林芳", "13883530013", "龙凤社区", "fire_watch", false},
        {"vm_hospital", "张卫民", "13883510011", "龙凤社区", "venue_manager", false},
        {"vm_factory", "曹建设", "13883510020", "虎峰村", "venue_manager", false},
        {"vm_ktv", "邓华", "13883510010", "龙凤社区", "venue_manager", false},
    };
    for (const auto& p : people) {
      long long role = c.scalar("SELECT id FROM roles WHERE key = ?", {std::string(p.role)});
      c.insert("INSERT INTO users (username, phone, phone_hash, name, org_unit_id, role_id, password_hash, must_change_password, "
               "status, password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'active', ?, ?, ?)",
               {std::string(p.username), personal::seal(c.db(), p.phone), personal::lookup(c.db(), p.phone), std::string(p.name),
                org.at(p.org), role, hash, now_iso(), now_iso(), now_iso()});
      if (p.listed) {
        std::string role_name = *c.text("SELECT name FROM roles WHERE key = ?", {std::string(p.role)});
        logins.push_back({p.username, p.name, role_name + "（" + p.org + "）"});
      }
    }
    load_demo_registries(c, org);
    load_demo_permits(c);
    load_demo_machine_activity(c);
    load_demo_hazards(c);
    access::Caller system;
    system.username = "system";
    record(c, system, "system.demo_load", "town", std::to_string(town), nullptr,
           nlohmann::json{{"town", "金凤镇"}, {"users", logins.size()}});
    nlohmann::json saved_logins = nlohmann::json::array();
    for (const auto& l : logins) saved_logins.push_back({l.username, l.name, l.role});
    c.exec("INSERT INTO settings (key, value) VALUES ('demo_logins', ?)", {saved_logins.dump()});
  });
  load_demo_use_cases(db);
  return logins;
}


namespace {

// Permits in every state around "now", with the timeline each would have.
struct DemoPermit {
  const char* state;
  const char* venue;
  int day;                // days from today (local)
  const char* from;       // local HH:MM, or "now-90" = 90 minutes before now
  int hours;
  const char* worker;
  const char* machine;
  const char* fire_watch;
  const char* place;
  const char* content;
  const char* method;
  const char* level;
  const char* reason;     // for rejected/suspended/cancelled/revoked/expired
};

void load_demo_permits(store::Conn& c) {
  using namespace std::chrono;
  auto now = clock::now();
  std::string today = clock::today();
  auto person = [&](const char* name) { return c.scalar("SELECT id FROM people WHERE name = ?", {std::string(name)}); };
  auto user_of_person = [&](long long p) { return c.scalar("SELECT COALESCE(user_id, 0) FROM people WHERE id = ?", {p}); };
  auto user_name = [&](long long u) { return c.text("SELECT name FROM users WHERE id = ?", {u}).value_or(""); };
  long long applicant = c.scalar("SELECT id FROM users WHERE username = 'contractor'");
  long long job_leader = person("邓强");
  long long officer = c.scalar("SELECT id FROM users WHERE username = 'sw_officer'");
  const DemoPermit permits[] = {
      {"in_progress", "金凤镇卫生院", 0, "now-60", 3, "唐国庆", "JF-HJ-0001", "曾小燕", "门诊楼二层配电间", "配电柜支架加固焊接", "electric_welding", "level1", ""},
      {"suspended", "金凤电子产业园一号车间", 0, "now-120", 3, "高建", "JF-HJ-0002", "夏雨", "一号车间北侧钢平台", "钢平台护栏补焊", "electric_welding", "level2", "监护人临时离开，暂停作业"},
      {"watching", "金凤商业广场", 0, "now-150", 2, "蒋超", "JF-HJ-0003", "林芳", "地下一层设备机房", "消防管道支架切割更换", "gas_cutting", "level2", ""},
      {"approved", "金凤商业广场", 1, "06:00", 3, "蒋超", "JF-HJ-0004", "曾小燕", "三楼东侧设备间", "空调冷凝水管支架焊接", "electric_welding", "level2", ""},
      {"risk_confirmed", "金凤里综合体", 1, "06:30", 2, "秦岭", "JF-HJ-0005", "夏雨", "五层屋面", "屋面广告牌钢架焊接", "electric_welding", "level2", ""},
      {"surveyed", "金凤里综合体", 2, "06:00", 3, "唐国庆", "JF-HJ-0006", "林芳", "一层中庭吊顶", "吊顶龙骨切割", "grinding", "level2", ""},
      {"submitted", "金凤星光KTV", 2, "09:00", 3, "高建", "JF-HJ-0007", "曾小燕", "二层包房走廊", "排烟管道法兰焊接", "electric_welding", "level1", ""},
      {"draft", "金凤商业广场", 3, "07:00", 2, "秦岭", "JF-HJ-0008", "夏雨", "外立面二层雨棚", "雨棚钢结构补焊", "electric_welding", "level2", ""},
      {"closed", "金凤商业广场", -2, "06:00", 3, "唐国庆", "JF-HJ-0001", "曾小燕", "地下车库排风机房", "风管支架焊接", "electric_welding", "level2", ""},
      {"closed", "金凤镇卫生院", -5, "13:00", 2, "蒋超", "JF-HJ-0002", "夏雨", "住院楼屋面", "太阳能支架焊接", "electric_welding", "level1", ""},
      {"closed", "金凤里综合体", -10, "06:00", 3, "高建", "JF-HJ-0003", "林芳", "负一层厨房排油烟管", "排油烟管道切割", "gas_cutting", "level1", ""},
      {"cancelled", "金凤商业广场", -1, "07:00", 2, "秦岭", "JF-HJ-0004", "曾小燕", "四楼影院入口", "防火门框焊接", "electric_welding", "level2", "施工方案调整，改为螺栓连接"},
      {"revoked", "金凤电子产业园一号车间", -3, "20:30", 2, "唐国庆", "JF-HJ-0005", "夏雨", "二号仓库", "货架焊接", "electric_welding", "level2", "检查发现现场未清理可燃物、未落实防火分隔"},
      {"expired", "金凤里综合体", -1, "06:00", 2, "蒋超", "JF-HJ-0006", "林芳", "二层美食街", "燃气管道支架焊接", "electric_welding", "level2", "计划时间内未开工"},
  };
  int seq = 0;
  for (const auto& d : permits) {
    ++seq;
    clock::TimePoint start;
    std::string from = d.from;
    if (from.rfind("now-", 0) == 0)
      start = floor<minutes>(now) - minutes(std::stoi(from.substr(4)));
    else
      start = *clock::parse_iso(clock::add_days(today, d.day) + "T" + from + ":00+08:00");
    auto end = start + hours(d.hours);
    long long venue = c.scalar("SELECT id FROM venues WHERE name = ?", {std::string(d.venue)});
    long long approver = c.scalar("SELECT COALESCE(manager_user_id, 0) FROM venues WHERE id = ?", {venue});
    long long worker = person(d.worker), fire_watch = person(d.fire_watch);
    long long cert = c.scalar("SELECT id FROM certificates WHERE person_id = ? AND status = 'valid' ORDER BY id LIMIT 1", {worker});
    long long machine = c.scalar("SELECT id FROM machines WHERE code = ?", {std::string(d.machine)});
    // The steps before the work are dated before its start and never after now: a permit for a later day was applied
    // for lately.
    auto before_work = [&](int hours_before_start, int hours_before_now) {
      return std::min<clock::TimePoint>(start - hours(hours_before_start), floor<minutes>(now) - hours(hours_before_now));
    };
    auto created_at = before_work(30, 10), submitted_at = before_work(28, 8), surveyed_at = before_work(24, 6),
         confirmed_at = before_work(20, 4), approved_at = before_work(18, 2), cancelled_at = before_work(6, 1);
    std::string created = clock::iso_utc(created_at);
    char number[32];
    std::string day = clock::local_date(created_at);
    std::snprintf(number, sizeof number, "DH-%s%s%s-%04d", day.substr(0, 4).c_str(), day.substr(5, 2).c_str(),
                  day.substr(8, 2).c_str(), 100 + seq);
    // New permits of that day continue after the demo's numbers.
    c.exec("INSERT INTO permit_counters (day, last) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET last = excluded.last",
           {day, static_cast<long long>(100 + seq)});
    std::string state = d.state;
    bool hospital = std::string(d.venue) == "金凤镇卫生院";
    nlohmann::json controls = hospital ? nlohmann::json::array({{{"control", "动火点 5 米内病床清空，设置不燃隔板"}, {"person", "张卫民"}},
                                                                {{"control", "配电间外配置 2 具灭火器并专人看守"}, {"person", "曾小燕"}}})
                                       : nlohmann::json::array();
    long long id = c.insert(
        "INSERT INTO permits (worker_count, number, public_token, venue_id, place, indoor, indoor_reason, content, method, level_declared, "
        "level, planned_start, planned_end, unit_id, job_leader_id, fire_watch_id, approver_user_id, applicant_user_id, "
        "risk_identification, risk_assessment, controls, fire_separation, state, state_reason, created_at, updated_at) "
        "VALUES (1, ?, ?, ?, ?, 1, '设备位于室内，无法移至室外作业', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
        {std::string(number), random_token(12), venue, std::string(d.place), std::string(d.content), std::string(d.method),
         std::string(d.level), std::string(d.level), clock::iso_utc(start), clock::iso_utc(end), job_leader, fire_watch,
         approver, applicant, std::string("焊接火花飞溅可能引燃周边可燃物；作业点下方有人员通行"),
         std::string(hospital ? "医院 24 小时运行，作业区与病区已评估：采用不燃材料分隔，作业期间暂停该区域通行。" : ""),
         controls.dump(), state, std::string(d.reason), created, created});
    file_new_permit(c, id, venue, state, clock::iso_utc(start));
    c.exec("INSERT INTO permit_workers (permit_id, person_id, certificate_id, planned_end, checked_in_at) VALUES (?, ?, ?, ?, ?)",
           {id, worker, cert, clock::iso_utc(end),
            (state == "in_progress" || state == "suspended" || state == "watching" || state == "closed")
                ? store::Value(clock::iso_utc(start - minutes(10)))
                : store::Value(nullptr)});
    c.exec("INSERT INTO permit_machines (permit_id, machine_id, planned_end) VALUES (?, ?, ?)", {id, machine, clock::iso_utc(end)});
    // Measures are written when the job leader confirms them (permits past that step).
    // Answered as a site would: no gas to test; the cylinders' and the welder's items as the method has them.
    auto applies = [&](const std::string& code) {
      bool electric = std::string(d.method) == "electric_welding";
      return code == "gas_tested" ? false : code == "cylinders" ? !electric : code == "welder_grounding" ? electric : true;
    };
    if (state != "draft" && state != "submitted" && state != "surveyed")
      for (const auto& m : c.rows("SELECT code, label, sort FROM measure_templates WHERE enabled = 1"))
        c.exec("INSERT INTO permit_measures (permit_id, code, label, sort, applies, confirmed_by, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {id, store::value_of(m["code"]), store::value_of(m["label"]), store::value_of(m["sort"]),
                static_cast<long long>(applies(m["code"].get<std::string>())), std::string("邓强"),
                clock::iso_utc(confirmed_at)});
    for (auto [role, user] : std::vector<std::pair<std::string, long long>>{
             {"applicant", applicant}, {"approver", approver}, {"job_leader", user_of_person(job_leader)},
             {"fire_watch", user_of_person(fire_watch)}, {"worker", user_of_person(worker)}})
      if (user) c.exec("INSERT INTO permit_participants (permit_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", {id, user, role});

    // The timeline up to the permit's state.
    struct Step {
      const char* command;
      const char* to;
      long long user;
      clock::TimePoint at;
    };
    std::vector<Step> steps = {{"create", "draft", applicant, created_at}};
    auto reached = [&](std::initializer_list<const char*> states) {
      for (const char* s2 : states)
        if (state == s2) return true;
      return false;
    };
    bool past_submit = !reached({"draft"});
    bool past_survey = past_submit && !reached({"submitted"});
    bool past_confirm = past_survey && !reached({"surveyed"});
    bool past_approve = past_confirm && !reached({"risk_confirmed"}) && !(state == "cancelled");
    bool started = reached({"in_progress", "suspended", "watching", "closed"});
    if (past_submit) steps.push_back({"submit", "submitted", applicant, submitted_at});
    if (past_survey) steps.push_back({"survey", "surveyed", approver, surveyed_at});
    if (past_confirm) steps.push_back({"confirm-risk", "risk_confirmed", user_of_person(job_leader), confirmed_at});
    if (past_approve) steps.push_back({"approve", "approved", approver, approved_at});
    if (started) steps.push_back({"start", "in_progress", user_of_person(job_leader), start});
    if (state == "suspended") steps.push_back({"suspend", "suspended", user_of_person(fire_watch), now - minutes(20)});
    clock::TimePoint finished = state == "watching" ? floor<minutes>(now) - minutes(30) : start + hours(d.hours) - minutes(20);
    if (state == "watching" || state == "closed") steps.push_back({"finish", "watching", user_of_person(job_leader), finished});
    if (state == "closed") steps.push_back({"close", "closed", user_of_person(fire_watch), finished + minutes(70)});
    if (state == "cancelled") steps.push_back({"cancel", "cancelled", applicant, cancelled_at});
    if (state == "revoked") steps.push_back({"revoke", "revoked", officer, start + minutes(40)});
    if (state == "expired") steps.push_back({"expire", "expired", 0, end});
    std::string prev = "draft";
    for (const auto& st : steps) {
      std::string name = st.user ? user_name(st.user) : "系统";
      nlohmann::json detail = nlohmann::json::object();
      if ((std::string(st.command) == "cancel" || std::string(st.command) == "revoke" || std::string(st.command) == "suspend" ||
           std::string(st.command) == "expire") && *d.reason)
        detail["reason"] = d.reason;
      c.insert("INSERT INTO permit_events (permit_id, at, command, from_state, to_state, user_id, username, name, ip, detail) "
               "VALUES (?, ?, ?, ?, ?, ?, '', ?, '127.0.0.1', ?)",
               {id, clock::iso_utc(st.at), std::string(st.command), prev, std::string(st.to),
                st.user ? store::Value(st.user) : store::Value(nullptr), name, detail.dump()});
      prev = st.to;
    }
    if (past_survey)
      c.exec("UPDATE permits SET survey = ? WHERE id = ?",
             {nlohmann::json{{"at", clock::iso_utc(surveyed_at)}, {"by", user_name(approver)}, {"lat", 29.44}, {"lng", 106.36},
                             {"photos", nlohmann::json::array()}, {"note", "现场已查看，作业区域周边可燃物已清理"}}.dump(), id});
    if (past_confirm)
      c.exec("UPDATE permits SET risk_confirmation = ? WHERE id = ?",
             {nlohmann::json{{"at", clock::iso_utc(confirmed_at)}, {"by", "邓强"}, {"note", ""}}.dump(), id});
    if (started)
      c.exec("UPDATE permits SET started_at = ?, fire_watch_checked_in_at = ? WHERE id = ?",
             {clock::iso_utc(start), clock::iso_utc(start - minutes(12)), id});
    if (state == "watching" || state == "closed") {
      c.exec("UPDATE permits SET finished_at = ? WHERE id = ?", {clock::iso_utc(finished), id});
      int round = 1;
      for (int offset : {15, 30, 60}) {
        auto due = finished + minutes(offset);
        bool done = state == "closed" || due + minutes(5) < now - minutes(20);
        c.exec("INSERT INTO permit_rounds (permit_id, seq, due_at, done_at, result, note, done_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {id, static_cast<long long>(round++), clock::iso_utc(due), done ? store::Value(clock::iso_utc(due + minutes(2))) : store::Value(nullptr),
                done ? store::Value(std::string("normal")) : store::Value(nullptr), std::string(done ? "无残留火种，现场已清理" : ""),
                done ? store::Value(user_of_person(fire_watch)) : store::Value(nullptr)});
      }
    }
    if (state == "closed") c.exec("UPDATE permits SET closed_at = ?, site_clear = 1 WHERE id = ?", {clock::iso_utc(finished + minutes(70)), id});
    if (state == "expired")
      open_alert(c, {"permit_not_started", "info", "permit", std::to_string(id), venue,
                     "动火作业证 " + std::string(number) + " 逾期未开工，已自动过期", "", number});
  }
}
}  // namespace

namespace {

// Where the chipped machines last reported from, the running permit's work
// session, and machine warnings in each state, so the map and the alert pages
// have something to show. Machines the tests drive (0001-0005, 0009-0012) get
// positions only; their alerts come from the tests.
void load_demo_machine_activity(store::Conn& c) {
  using namespace std::chrono;
  std::string now = clock::iso_utc(clock::now());
  auto venue = [&](const char* name) { return *c.row("SELECT id, lat, lng FROM venues WHERE name = ?", {std::string(name)}); };
  auto machine = [&](const char* code) { return c.scalar("SELECT id FROM machines WHERE code = ?", {std::string(code)}); };
  struct Fix {
    const char* code;
    const char* venue;
    double dlat, dlng;
    bool power;
  };
  const Fix fixes[] = {{"JF-HJ-0001", "金凤镇卫生院", 0.0002, 0.0001, true},  {"JF-HJ-0002", "金凤电子产业园一号车间", 0.0003, -0.0002, false},
                       {"JF-HJ-0003", "金凤商业广场", -0.0002, 0.0002, false}, {"JF-HJ-0004", "金凤商业广场", 0.0001, -0.0003, false},
                       {"JF-HJ-0005", "金凤里综合体", 0.0002, 0.0002, false},  {"JF-HJ-0006", "金凤里综合体", -0.0003, 0.0001, true},
                       {"JF-HJ-0007", "金凤星光KTV", 0.0042, 0.0051, false},    {"JF-HJ-0008", "金凤电子产业园一号车间", -0.0004, 0.0003, true},
                       {"JF-HJ-0009", "金凤商业广场", 0.0004, 0.0004, false},  {"JF-HJ-0010", "金凤镇卫生院", -0.0003, -0.0003, false},
                       {"JF-HJ-0011", "金凤里综合体", 0.0001, -0.0004, false}};
  for (const auto& f : fixes) {
    auto v = venue(f.venue);
    c.exec("INSERT INTO machine_state (machine_id, last_seq, last_at, power_on, powered_since, lat, lng, accuracy, updated_at) "
           "VALUES (?, 0, ?, ?, ?, ?, ?, 10, ?)",
           {machine(f.code), clock::iso_utc(clock::now() - minutes(2)), static_cast<long long>(f.power),
            f.power ? store::Value(clock::iso_utc(clock::now() - minutes(40))) : store::Value(nullptr),
            v["lat"].get<double>() + f.dlat, v["lng"].get<double>() + f.dlng, now});
  }
  // 唐国庆 scanned JF-HJ-0001 when the hospital's permit started.
  auto running = c.row("SELECT p.id, p.planned_start, p.planned_end, w.person_id FROM permits p JOIN permit_workers w ON w.permit_id = p.id "
                       "JOIN venues v ON v.id = p.venue_id WHERE p.state = 'in_progress' AND v.name = '金凤镇卫生院' ORDER BY p.id LIMIT 1");
  if (running) {
    long long person = store::as_id((*running)["person_id"]);
    long long user = c.scalar("SELECT COALESCE(user_id, 1) FROM people WHERE id = ?", {person});
    c.insert("INSERT INTO machine_sessions (machine_id, permit_id, person_id, user_id, started_at, until) VALUES (?, ?, ?, ?, ?, ?)",
             {machine("JF-HJ-0001"), store::as_id((*running)["id"]), person, user, (*running)["planned_start"].get<std::string>(),
              (*running)["planned_end"].get<std::string>()});
  }
  struct Warning {
    const char* code;
    const char* kind;
    const char* severity;
    const char* venue;  // the session's venue, or none
    const char* title;
    const char* state;
    const char* result;
  };
  const Warning warnings[] = {
      {"JF-HJ-0006", "unpermitted_power_on", "critical", nullptr, "焊机未经审批开机（无有效动火作业证）", "open", ""},
      {"JF-HJ-0008", "continuous_power", "warning", nullptr, "焊机连续通电超过 24 小时", "acknowledged", ""},
      {"JF-HJ-0007", "out_of_fence", "warning", "金凤星光KTV", "焊机位置超出作业场所范围（越界作业）", "handled",
       "网格员现场核查：焊机被搬至隔壁商铺，已责令停止并搬回，作业单位已作书面说明"},
      {"JF-HJ-0003", "far_scan", "warning", "金凤商业广场", "远距离扫码（扫码位置距焊机约 850 米）", "false_alarm",
       "核实为焊工在停车场扫码测试，焊机未通电，系误报"}};
  int minutes_ago = 180;
  for (const auto& w : warnings) {
    std::string opened = clock::iso_utc(clock::now() - minutes(minutes_ago));
    std::string closed = clock::iso_utc(clock::now() - minutes(minutes_ago - 25));
    bool closed_state = std::string(w.state) == "handled" || std::string(w.state) == "false_alarm";
    store::Value venue_id = w.venue ? store::Value(store::as_id(venue(w.venue)["id"])) : store::Value(nullptr);
    c.insert("INSERT INTO alerts (kind, severity, source_type, source_id, source_label, venue_id, title, detail, state, opened_at, "
             "acknowledged_at, acknowledged_by, closed_at, closed_by, result, updated_at) "
             "VALUES (?, ?, 'machine', ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)",
             {std::string(w.kind), std::string(w.severity), std::to_string(machine(w.code)), std::string(w.code), venue_id,
              "焊机 " + std::string(w.code) + "：" + w.title, std::string(w.state), opened,
              std::string(w.state) != "open" ? store::Value(opened) : store::Value(nullptr),
              std::string(w.state) != "open" ? store::Value(1LL) : store::Value(nullptr),
              closed_state ? store::Value(closed) : store::Value(nullptr), closed_state ? store::Value(1LL) : store::Value(nullptr),
              std::string(w.result), closed_state ? closed : opened});
    minutes_ago -= 40;
  }
}

}  // namespace

}  // namespace huoyan::app
