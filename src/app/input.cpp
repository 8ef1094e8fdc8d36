#include <algorithm>
#include "app/input.h"

#include "domain/clock.h"
#include "domain/errors.h"
#include "domain/validate.h"

namespace huoyan::app {

namespace {
std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}
ApiError required(const char* field, const char* label) {
  return bad_request("REQUIRED", std::string("请填写") + label, field);
}
ApiError wrong_type(const char* field, const char* label) {
  return bad_request("INVALID_TYPE", std::string(label) + "的类型不正确", field);
}
}  // namespace

std::optional<std::string> Input::opt_str(const char* field, size_t max_chars, const char* label) {
  if (!has(field)) return std::nullopt;
  const auto& v = body_[field];
  if (!v.is_string()) throw wrong_type(field, label);
  std::string s = trim(v.get<std::string>());
  if (s.empty()) return std::nullopt;
  auto len = validate::utf8_length(s);
  if (!len) throw bad_request("INVALID_VALUE", std::string(label) + "包含无效字符", field);
  if (*len > max_chars)
    throw bad_request("TOO_LONG", std::string(label) + "不能超过 " + std::to_string(max_chars) + " 个字", field);
  for (unsigned char c : s)
    if (c < 0x20 && c != '\n' && c != '\t') throw bad_request("INVALID_VALUE", std::string(label) + "包含控制字符", field);
  return s;
}

std::string Input::str(const char* field, size_t max_chars, const char* label) {
  auto s = opt_str(field, max_chars, label);
  if (!s) throw required(field, label);
  return *s;
}

std::optional<long long> Input::opt_integer(const char* field, const char* label, long long min, long long max) {
  if (!has(field)) return std::nullopt;
  const auto& v = body_[field];
  if (!v.is_number_integer()) throw wrong_type(field, label);
  long long n = v.get<long long>();
  if (n < min || n > max)
    throw bad_request("INVALID_VALUE", std::string(label) + "超出允许范围", field);
  return n;
}

long long Input::integer(const char* field, const char* label, long long min, long long max) {
  auto n = opt_integer(field, label, min, max);
  if (!n) throw required(field, label);
  return *n;
}

std::optional<bool> Input::opt_bool(const char* field) {
  if (!has(field)) return std::nullopt;
  if (!body_[field].is_boolean()) throw wrong_type(field, field);
  return body_[field].get<bool>();
}

bool Input::boolean(const char* field, const char* label) {
  if (!has(field)) throw required(field, label);
  if (!body_[field].is_boolean()) throw wrong_type(field, label);
  return body_[field].get<bool>();
}

std::optional<double> Input::opt_number(const char* field, const char* label, double min, double max) {
  if (!has(field)) return std::nullopt;
  if (!body_[field].is_number()) throw wrong_type(field, label);
  double v = body_[field].get<double>();
  if (!(v >= min && v <= max)) throw bad_request("INVALID_VALUE", std::string(label) + "超出允许范围", field);
  return v;
}

double Input::number(const char* field, const char* label, double min, double max) {
  auto v = opt_number(field, label, min, max);
  if (!v) throw required(field, label);
  return *v;
}

std::optional<std::string> Input::opt_date(const char* field, const char* label) {
  auto s = opt_str(field, 10, label);
  if (!s) return std::nullopt;
  if (s->size() != 10 || !clock::parse_iso(*s))
    throw bad_request("INVALID_VALUE", std::string(label) + "不是有效日期（YYYY-MM-DD）", field);
  return s;
}

std::string Input::date(const char* field, const char* label) {
  auto d = opt_date(field, label);
  if (!d) throw required(field, label);
  return *d;
}

std::string Input::one_of(const char* field, const char* label, std::initializer_list<const char*> allowed) {
  std::string v = str(field, 40, label);
  for (const char* a : allowed)
    if (v == a) return v;
  throw bad_request("INVALID_VALUE", std::string(label) + "的取值无效", field);
}

std::vector<std::string> Input::str_list(const char* field, size_t max_items, size_t max_chars, const char* label) {
  std::vector<std::string> out;
  if (!has(field)) return out;
  const auto& v = body_[field];
  if (!v.is_array()) throw wrong_type(field, label);
  if (v.size() > max_items) throw bad_request("INVALID_VALUE", std::string(label) + "数量过多", field);
  for (const auto& item : v) {
    if (!item.is_string()) throw wrong_type(field, label);
    std::string s = item.get<std::string>();
    if (s.empty() || s.size() > max_chars) throw bad_request("INVALID_VALUE", std::string(label) + "包含无效项", field);
    out.push_back(s);
  }
  return out;
}

std::vector<long long> Input::int_list(const char* field, size_t max_items, const char* label) {
  std::vector<long long> out;
  if (!has(field)) return out;
  const auto& v = body_[field];
  if (!v.is_array()) throw wrong_type(field, label);
  if (v.size() > max_items) throw bad_request("INVALID_VALUE", std::string(label) + "数量过多", field);
  for (const auto& item : v) {
    if (!item.is_number_integer() || item.get<long long>() < 1) throw wrong_type(field, label);
    out.push_back(item.get<long long>());
  }
  return out;
}

void Input::only_fields(std::initializer_list<const char*> allowed, const char* reported_as) const {
  for (const auto& [k, v] : body_.items())
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }) == allowed.end())
      throw bad_request("UNKNOWN_FIELD", "不支持的字段：" + k.substr(0, 30), reported_as);
}

}  // namespace huoyan::app
