#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/audit.h"
#include "app/auth.h"
#include "app/bootstrap.h"
#include "domain/clock.h"

// The demo town: 金凤镇 of 重庆高新区 with its nine posts, villages and
// communities, people, and the registries hot work needs. Names of places are
// real (statistics-bureau codes); people, units and numbers are invented, with
// valid check digits.
namespace huoyan::app {

namespace {

std::string now_iso() { return clock::iso_utc(clock::now()); }

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
      {"金凤镇卫生院", "hospital", false, "龙凤社区", {"民政社事岗"}, "00:00-24:00", 29.4440, 106.3560, "张医生", "13883510011"},
      {"金凤镇敬老院", "elderly_care", false, "九凤村", {"民政社事岗"}, "00:00-24:00", 29.4480, 106.3500, "何秀兰", "13883510012"},
      {"金凤儿童福利院", "welfare_home", false, "九凤村", {"民政社事岗"}, "00:00-24:00", 29.4485, 106.3510, "谢红", "13883510013"},
      {"金凤镇中心托儿所", "nursery", false, "金凤佳园社区", {"文教体旅岗"}, "07:30-18:00", 29.4415, 106.3620, "孙芳", "13883510014"},
      {"金凤镇中心幼儿园", "kindergarten", false, "新凤社区", {"文教体旅岗"}, "07:30-18:00", 29.4385, 106.3565, "赵敏", "13883510015"},
      {"金凤中学", "school", false, "金凤佳园社区", {"文教体旅岗"}, "07:00-21:30", 29.4398, 106.3660, "钱校长", "13883510016"},
      {"金凤职业技能培训学校", "training", false, "新凤社区", {"文教体旅岗"}, "08:30-21:00", 29.4382, 106.3580, "王培", "13883510017"},
      {"金凤镇图书馆", "library", false, "龙凤社区", {"文教体旅岗"}, "09:00-20:00", 29.4438, 106.3595, "许静", "13883510018"},
      {"金凤非遗展览馆", "exhibition", false, "文昌村", {"文教体旅岗"}, "09:00-17:00", 29.4550, 106.3450, "唐文", "13883510019"},
      {"金凤电子产业园一号车间", "factory_workshop", false, "虎峰村", {"企业服务岗", "规建环保岗"}, "08:00-20:00", 29.4350, 106.3700, "曹工", "13883510020"},
      {"金凤产业园员工宿舍", "dormitory", false, "虎峰村", {"企业服务岗"}, "00:00-24:00", 29.4345, 106.3710, "彭舍", "13883510021"},
      {"白鹤林景区游客中心", "tourism", false, "白鹤村", {"文教体旅岗", "乡村振兴岗"}, "08:30-17:30", 29.4610, 106.3350, "蒋游", "13883510022"},
      {"九凤山寺", "religious", false, "九凤村", {"民政社事岗"}, "07:00-17:00", 29.4500, 106.3480, "释明", "13883510023"},
      {"金凤里综合体", "mixed", false, "金凤佳园社区", {"商贸发展岗", "市场监督岗", "规建环保岗"}, "09:00-22:00", 29.4405, 106.3630, "冯建华", "13983040001"},
  };
  for (const auto& v : venues) {
    long long manager = std::string(v.principal) == "冯建华" ? venue_mgr : 0;
    long long id = c.insert(
        "INSERT INTO venues (name, type, crowded, entertainment, address, org_unit_id, lat, lng, geofence_radius, "
        "opening_hours, closed_dates, principal_name, principal_phone, fire_manager_name, fire_manager_phone, "
        "manager_user_id, qr_token, created_by, created_at, updated_at) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, 200, ?, '[]', ?, ?, ?, ?, ?, ?, 1, ?, ?)",
        {std::string(v.name), std::string(v.type), static_cast<long long>(v.entertainment),
         std::string("重庆高新区金凤镇") + v.village, org.at(v.village), v.lat, v.lng, every_day(v.hours).dump(),
         std::string(v.principal), std::string(v.phone), std::string(v.principal), std::string(v.phone),
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
      {"重庆虎峰电子科技有限公司", "91500107071HU49D4T", "employer", "曹工", "13883510020"},
  };
  std::vector<long long> unit_ids;
  for (const auto& u : units)
    unit_ids.push_back(c.insert(
        "INSERT INTO units (name, credit_code, kind, contact_name, contact_phone, address, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, '重庆高新区金凤镇', 1, ?, ?)",
        {std::string(u.name), std::string(u.code), std::string(u.kind), std::string(u.contact), std::string(u.phone), now, now}));

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
      {"夏雨", "50010719911210754X", "13883530012", 1, "", "none"},
  };
  for (const auto& p : people) {
    long long user = *p.username ? c.scalar("SELECT id FROM users WHERE username = ?", {std::string(p.username)}) : 0;
    long long person = c.insert(
        "INSERT INTO people (name, citizen_id, phone, unit_id, user_id, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
        {std::string(p.name), std::string(p.citizen_id), std::string(p.phone), unit_ids[p.unit],
         user ? store::Value(user) : store::Value(nullptr), now, now});
    std::string state = p.cert;
    if (state == "none") continue;
    std::string kind = state == "builder" ? "construction_welder" : "special_op_fusion";
    std::string number = state == "builder" ? "渝A04" + std::string(p.citizen_id).substr(10, 8) : "T" + std::string(p.citizen_id);
    std::string valid_until = clock::add_days(today, state == "expiring" ? 30 : state == "expired" ? -10 : 3 * 365);
    std::string next_review = state == "builder" ? "" : clock::add_days(today, state == "review" ? -5 : state == "expiring" ? 30 : 365);
    std::string status = state == "revoked" ? "revoked" : "valid";
    c.insert("INSERT INTO certificates (person_id, kind, number, issuer, first_issued, valid_until, next_review, status, "
             "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
             {person, kind, number, std::string(state == "builder" ? "重庆市住房和城乡建设委员会" : "重庆市应急管理局"),
              clock::add_days(today, -3 * 365), valid_until, next_review.empty() ? store::Value(nullptr) : store::Value(next_review),
              status, now, now});
  }

  const char* kinds[] = {"arc_welder", "arc_welder", "co2_welder", "argon_welder", "gas_welding_set", "plasma_cutter"};
  for (int i = 1; i <= 12; ++i) {
    char code[32], chip[32];
    std::snprintf(code, sizeof code, "JF-HJ-%04d", i);
    std::snprintf(chip, sizeof chip, "CHIP-5001-%06d", 1000 + i);
    c.insert("INSERT INTO machines (code, chip_id, unit_id, kind, model, status, created_by, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
             {std::string(code), std::string(chip), unit_ids[(i - 1) % 3], std::string(kinds[(i - 1) % 6]),
              std::string(i % 2 ? "ZX7-400" : "NBC-350"), std::string(i == 12 ? "retired" : "active"), now, now});
  }
  c.insert("INSERT INTO key_periods (name, starts_at, ends_at, note, created_at) VALUES (?, ?, ?, ?, ?)",
           {std::string("2026年春节"), std::string("2026-02-14T16:00:00Z"), std::string("2026-02-23T16:00:00Z"),
            std::string("春节期间动火作业升级管理"), now});
}

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
        {"venue_mgr", "冯建华", "13983040001", "龙凤社区", "venue_manager", true},
        {"contractor", "邓强", "13983050001", "龙凤社区", "contractor", true},
        {"welder", "唐国庆", "13983060001", "龙凤社区", "welder", true},
        {"welder2", "蒋超", "13983060002", "龙凤社区", "welder", false},
        {"firewatch", "曾小燕", "13983070001", "龙凤社区", "fire_watch", true},
    };
    for (const auto& p : people) {
      long long role = c.scalar("SELECT id FROM roles WHERE key = ?", {std::string(p.role)});
      c.insert("INSERT INTO users (username, phone, name, org_unit_id, role_id, password_hash, must_change_password, "
               "status, password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 'active', ?, ?, ?)",
               {std::string(p.username), std::string(p.phone), std::string(p.name), org.at(p.org), role, hash, now_iso(),
                now_iso(), now_iso()});
      if (p.listed) {
        std::string role_name = *c.text("SELECT name FROM roles WHERE key = ?", {std::string(p.role)});
        logins.push_back({p.username, p.name, role_name + "（" + p.org + "）"});
      }
    }
    load_demo_registries(c, org);
    access::Caller system;
    system.username = "system";
    record(c, system, "system.demo_load", "town", std::to_string(town), nullptr,
           nlohmann::json{{"town", "金凤镇"}, {"users", logins.size()}});
    nlohmann::json saved_logins = nlohmann::json::array();
    for (const auto& l : logins) saved_logins.push_back({l.username, l.name, l.role});
    c.exec("INSERT INTO settings (key, value) VALUES ('demo_logins', ?)", {saved_logins.dump()});
  });
  return logins;
}


}  // namespace huoyan::app
