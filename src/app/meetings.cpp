#include "app/meetings.h"

#include <map>
#include <set>

#include "app/audit.h"
#include "app/input.h"
#include "domain/clock.h"
#include "domain/errors.h"
#include "store/scope.h"

namespace huoyan::app {

namespace {

using clock::now_iso;

const std::map<std::string, std::string>& kind_labels() {
  static const std::map<std::string, std::string> m = {
      {"training", "安全培训"}, {"warning", "警示教育"}, {"interview", "约谈警示"}, {"briefing", "调度会商"}};
  return m;
}

// What a party of each type is in the registries, and the error when it is not there.
struct PartyKind {
  const char* type;
  const char* field;
  const char* table;
  const char* code;
  const char* message;
};
const PartyKind kParties[] = {
    {"venue", "venueIds", "venues", "VENUE_NOT_FOUND", "场所不存在"},
    {"unit", "unitIds", "units", "UNIT_NOT_FOUND", "单位不存在"},
    {"person", "personIds", "people", "PERSON_NOT_FOUND", "人员不存在"},
};

// Officials: what their organisation held. 仅本人: what they recorded, and the records naming the venue they manage,
// their own unit, or themselves.
std::string organiser_scope(const access::Caller& who, store::Params& p) {
  return store::scope_condition(
      who, {"m.org_unit_id"},
      {"m.created_by",
       "EXISTS (SELECT 1 FROM meeting_parties sv JOIN venues vv ON vv.id = sv.party_id WHERE sv.meeting_id = m.id "
       "AND sv.party_type = 'venue' AND vv.manager_user_id = ?)",
       "EXISTS (SELECT 1 FROM meeting_parties su JOIN people pu ON pu.unit_id = su.party_id WHERE su.meeting_id = m.id "
       "AND su.party_type = 'unit' AND pu.user_id = ?)",
       "EXISTS (SELECT 1 FROM meeting_parties sp JOIN people pp ON pp.id = sp.party_id WHERE sp.meeting_id = m.id "
       "AND sp.party_type = 'person' AND pp.user_id = ?)"},
      p);
}

// What a caller may read: the organiser's scope, and also — for those who read the town's people registry — every
// training or warning education that names registered people, since a worker's training belongs with the worker
// whoever held it. Interviews and dispatch meetings stay with their organiser.
std::string meeting_scope(const access::Caller& who, store::Params& p) {
  std::string own = organiser_scope(who, p);
  if (!who.has("person:read") || who.scope == access::DataScope::Self) return own;
  return "(" + own + " OR (m.kind IN ('training', 'warning') AND EXISTS (SELECT 1 FROM meeting_parties tp WHERE tp.meeting_id = m.id "
         "AND tp.party_type = 'person')))";
}

const char* kMeetingSelect =
    "SELECT m.id, m.kind, m.title, m.org_unit_id AS \"orgUnitId\", o.name AS \"orgUnitName\", m.held_on AS \"heldOn\", m.place, "
    "m.content, m.headcount, m.created_by AS \"createdBy\", u.name AS \"createdByName\", m.created_at AS \"createdAt\", "
    "m.updated_at AS \"updatedAt\" FROM meetings m JOIN org_units o ON o.id = m.org_unit_id JOIN users u ON u.id = m.created_by";

json parties_of(store::Conn& c, long long id) {
  json venues = c.rows("SELECT v.id, v.name FROM meeting_parties mp JOIN venues v ON v.id = mp.party_id "
                       "WHERE mp.meeting_id = ? AND mp.party_type = 'venue' ORDER BY v.name",
                       {id});
  json units = c.rows("SELECT un.id, un.name FROM meeting_parties mp JOIN units un ON un.id = mp.party_id "
                      "WHERE mp.meeting_id = ? AND mp.party_type = 'unit' ORDER BY un.name",
                      {id});
  json people = c.rows("SELECT p.id, p.name, un.name AS \"unitName\" FROM meeting_parties mp JOIN people p ON p.id = mp.party_id "
                       "LEFT JOIN units un ON un.id = p.unit_id WHERE mp.meeting_id = ? AND mp.party_type = 'person' ORDER BY p.name",
                       {id});
  for (json* list : {&venues, &units, &people}) store::as_int(*list, {"id"});
  return json{{"venues", venues}, {"units", units}, {"people", people}};
}

json meeting_json(const json& row) {
  json k = row;
  store::as_int(k, {"id", "orgUnitId", "headcount", "createdBy"});
  k["kindLabel"] = kind_labels().at(k["kind"]);
  return k;
}

json load_meeting(store::Conn& c, long long id) {
  auto row = c.row(std::string(kMeetingSelect) + " WHERE m.id = ?", {id});
  if (!row) throw not_found();
  json k = meeting_json(*row);
  k.update(parties_of(c, id));
  return k;
}

void require_in_scope(store::Conn& c, const access::Caller& who, long long id) {
  store::Params p{id};
  std::string cond = meeting_scope(who, p);
  if (!c.row("SELECT m.id FROM meetings m WHERE m.id = ? AND " + cond, p)) throw not_found();
}

struct Record {
  std::string kind, title, held_on, place, content;
  std::optional<long long> org_unit_id;
  long long headcount = 0;
  std::map<std::string, std::vector<long long>> parties;  // party type → ids
};

Record read_record(const json& body) {
  Input in(body);
  Record r;
  r.kind = in.one_of("kind", "类型", {"training", "warning", "interview", "briefing"});
  r.title = in.str("title", 100, "主题");
  r.org_unit_id = in.opt_integer("orgUnitId", "组织单位");
  r.held_on = in.date("heldOn", "举办日期");
  if (r.held_on > clock::today()) throw bad_request("INVALID_VALUE", "举办日期不能晚于今天（只记录已举办的）", "heldOn");
  r.place = in.str("place", 200, "地点");
  r.content = in.str("content", 4000, r.kind == "interview" ? "约谈内容（指出的问题和整改要求）" : "内容");
  r.headcount = in.opt_integer("headcount", "参加人数", 0, 100000).value_or(0);
  for (const auto& k : kParties) {
    std::vector<long long> ids = in.int_list(k.field, std::string(k.type) == "person" ? 500 : 200, k.message);
    std::set<long long> unique(ids.begin(), ids.end());
    r.parties[k.type] = std::vector<long long>(unique.begin(), unique.end());
  }
  if (r.kind == "interview" && r.parties["venue"].empty() && r.parties["unit"].empty())
    throw bad_request("REQUIRED", "约谈须选择被约谈的场所或单位", "venueIds");
  long long people = static_cast<long long>(r.parties["person"].size());
  if (r.headcount == 0) r.headcount = people;
  if (r.headcount < people) throw bad_request("INVALID_VALUE", "参加人数不能少于所选的参加人员数", "headcount");
  if ((r.kind == "training" || r.kind == "warning") && r.headcount == 0)
    throw bad_request("REQUIRED", "请填写参加人数或选择参加人员", "headcount");
  return r;
}

// The organiser: the caller's own organisation, or one in the caller's data scope.
long long organiser(store::Conn& c, const access::Caller& who, const Record& r) {
  long long id = r.org_unit_id.value_or(who.org_unit_id);
  store::Params p{id};
  std::string cond = store::scope_condition(who, {"o.id"}, {"o.id = (SELECT su.org_unit_id FROM users su WHERE su.id = ?)"}, p);
  if (!c.row("SELECT o.id FROM org_units o WHERE o.id = ? AND o.kind <> 'grid' AND " + cond, p))
    throw bad_request("ORG_UNIT_NOT_FOUND", "组织单位不存在或不在您的数据范围内", "orgUnitId");
  return id;
}

void save_parties(store::Conn& c, long long id, const Record& r) {
  c.exec("DELETE FROM meeting_parties WHERE meeting_id = ?", {id});
  for (const auto& k : kParties)
    for (long long party : r.parties.at(k.type)) {
      if (!c.row(std::string("SELECT id FROM ") + k.table + " WHERE id = ?", {party}))
        throw bad_request(k.code, std::string(k.message) + "：#" + std::to_string(party), k.field);
      c.exec("INSERT INTO meeting_parties (meeting_id, party_type, party_id) VALUES (?, ?, ?)", {id, std::string(k.type), party});
    }
}

}  // namespace

json list_meetings(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Paging p = paging(q);
  Filter f;
  f.sql += " AND " + meeting_scope(who, f.params);
  if (auto v = query_str(q, "kind")) {
    if (!kind_labels().count(*v)) throw bad_request("INVALID_VALUE", "类型无效", "kind");
    f.add("m.kind = ?", *v);
  }
  if (auto v = query_int(q, "orgUnitId")) f.add("m.org_unit_id = ?", *v);
  for (const auto& k : kParties) {
    std::string key = std::string(k.type) + "Id";
    if (auto v = query_int(q, key))
      f.add("EXISTS (SELECT 1 FROM meeting_parties fp WHERE fp.meeting_id = m.id AND fp.party_type = ? AND fp.party_id = ?)",
            std::string(k.type), *v);
  }
  for (const auto& [key, op] : {std::pair{"from", ">="}, std::pair{"to", "<="}})
    if (auto v = query_str(q, key, 10)) {
      if (v->size() != 10 || !clock::parse_iso(*v)) throw bad_request("INVALID_VALUE", "日期格式应为 YYYY-MM-DD", key);
      f.add(std::string("m.held_on ") + op + " ?", *v);
    }
  if (auto v = query_str(q, "q")) {
    std::string like = "%" + *v + "%";
    f.add("(m.title LIKE ? OR m.place LIKE ?)", like, like);
  }
  return db.read([&](store::Conn& c) {
    json out = page_of(c, kMeetingSelect, "FROM meetings m", f, "m.held_on DESC, m.id DESC", p);
    // The page's parties in one read: counts by kind, and the first three venue and unit names (venues first, each by
    // name, as on the detail).
    std::map<long long, json> summary;
    std::vector<long long> page_ids;
    for (auto& item : out["items"]) {
      item = meeting_json(item);
      item.erase("content");
      long long id = item["id"];
      summary[id] = {{"venueCount", 0}, {"unitCount", 0}, {"personCount", 0}, {"partyNames", json::array()}};
      page_ids.push_back(id);
    }
    if (!page_ids.empty()) {
      store::Params ids;
      std::string marks = store::in_list(page_ids, ids);
      c.each("SELECT mp.meeting_id, mp.party_type, COALESCE(v.name, un.name, '') AS name FROM meeting_parties mp "
             "LEFT JOIN venues v ON mp.party_type = 'venue' AND v.id = mp.party_id "
             "LEFT JOIN units un ON mp.party_type = 'unit' AND un.id = mp.party_id "
             "WHERE mp.meeting_id IN " + marks + " "
             "ORDER BY mp.meeting_id, CASE mp.party_type WHEN 'venue' THEN 0 WHEN 'unit' THEN 1 ELSE 2 END, name",
             ids, [&](json& row) {
        json& m = summary[store::as_id(row["meeting_id"])];
        std::string type = row["party_type"];
        std::string count = type + "Count";
        m[count] = m[count].get<long long>() + 1;
        if (type != "person" && m["partyNames"].size() < 3) m["partyNames"].push_back(row["name"]);
      });
    }
    for (auto& item : out["items"]) item.update(summary[item["id"].get<long long>()]);
    return out;
  });
}

json get_meeting(store::Db& db, const access::Caller& who, long long id) {
  return db.read([&](store::Conn& c) {
    require_in_scope(c, who, id);
    return load_meeting(c, id);
  });
}

json create_meeting(store::Db& db, const access::Caller& who, const json& body) {
  Record r = read_record(body);
  return db.write([&](store::Conn& c) {
    long long org = organiser(c, who, r);
    std::string now = now_iso();
    long long id = c.insert(
        "INSERT INTO meetings (kind, title, org_unit_id, held_on, place, content, headcount, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {r.kind, r.title, org, r.held_on, r.place, r.content, r.headcount, who.user_id, now, now});
    save_parties(c, id, r);
    json after = load_meeting(c, id);
    record(c, who, "meeting.create", "meeting", std::to_string(id), nullptr, after);
    return after;
  });
}

json update_meeting(store::Db& db, const access::Caller& who, long long id, const json& body) {
  Record r = read_record(body);
  return db.write([&](store::Conn& c) {
    require_in_scope(c, who, id);
    json before = load_meeting(c, id);
    if (before["createdBy"] != who.user_id && who.scope != access::DataScope::All) throw forbidden();
    long long org = organiser(c, who, r);
    c.exec("UPDATE meetings SET kind = ?, title = ?, org_unit_id = ?, held_on = ?, place = ?, content = ?, headcount = ?, updated_at = ? "
           "WHERE id = ?",
           {r.kind, r.title, org, r.held_on, r.place, r.content, r.headcount, now_iso(), id});
    save_parties(c, id, r);
    json after = load_meeting(c, id);
    record(c, who, "meeting.update", "meeting", std::to_string(id), before, after);
    return after;
  });
}

json meeting_summary(store::Db& db, const access::Caller& who, const QueryMap& q) {
  Filter f;
  f.sql += " AND " + organiser_scope(who, f.params);
  for (const auto& [key, op] : {std::pair{"from", ">="}, std::pair{"to", "<="}})
    if (auto v = query_str(q, key, 10)) {
      if (v->size() != 10 || !clock::parse_iso(*v)) throw bad_request("INVALID_VALUE", "日期格式应为 YYYY-MM-DD", key);
      f.add(std::string("m.held_on ") + op + " ?", *v);
    }
  return db.read([&](store::Conn& c) {
    json rows = c.rows("SELECT m.org_unit_id AS \"orgUnitId\", o.name AS \"orgUnitName\", m.kind, COUNT(*) AS \"count\", "
                       "SUM(m.headcount) AS \"headcount\" FROM meetings m JOIN org_units o ON o.id = m.org_unit_id" + f.sql +
                       " GROUP BY m.org_unit_id, o.name, m.kind ORDER BY o.name, m.kind",
                       f.params);
    store::as_int(rows, {"orgUnitId", "count", "headcount"});
    json totals = json::object();
    for (const auto& [k, label] : kind_labels()) totals[k] = json{{"label", label}, {"count", 0}, {"headcount", 0}};
    for (auto& r : rows) {
      r["kindLabel"] = kind_labels().at(r["kind"]);
      json& t = totals[r["kind"].get<std::string>()];
      t["count"] = t["count"].get<long long>() + r["count"].get<long long>();
      t["headcount"] = t["headcount"].get<long long>() + r["headcount"].get<long long>();
    }
    return json{{"items", rows}, {"totals", totals}};
  });
}

}  // namespace huoyan::app
