#pragma once
// Reading one request body's fields with the checks every use case needs.
// The HTTP layer has already refused unknown fields and wrong JSON types;
// this adds presence, length and value rules, each failing with the field's name.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace huoyan::app {

class Input {
 public:
  explicit Input(const nlohmann::json& body) : body_(body) {}

  // A trimmed string of 1..max_chars characters (REQUIRED / TOO_LONG / INVALID_VALUE).
  std::string str(const char* field, size_t max_chars, const char* label);
  // The same, or nullopt when absent or null; an empty string counts as absent.
  std::optional<std::string> opt_str(const char* field, size_t max_chars, const char* label);
  long long integer(const char* field, const char* label, long long min = 1, long long max = (1LL << 53));
  std::optional<long long> opt_integer(const char* field, const char* label, long long min = 1,
                                       long long max = (1LL << 53));
  std::optional<bool> opt_bool(const char* field);
  bool boolean(const char* field, const char* label);
  std::optional<double> opt_number(const char* field, const char* label, double min, double max);
  double number(const char* field, const char* label, double min, double max);
  // A real local date "YYYY-MM-DD".
  std::optional<std::string> opt_date(const char* field, const char* label);
  std::string date(const char* field, const char* label);
  // One of `allowed`, else INVALID_VALUE.
  std::string one_of(const char* field, const char* label, std::initializer_list<const char*> allowed);
  std::vector<std::string> str_list(const char* field, size_t max_items, size_t max_chars, const char* label);
  std::vector<long long> int_list(const char* field, size_t max_items, const char* label);
  bool has(const char* field) const { return body_.contains(field) && !body_[field].is_null(); }
  // For a nested object: UNKNOWN_FIELD on `reported_as` (the outer field) unless every key is in `allowed`.
  void only_fields(std::initializer_list<const char*> allowed, const char* reported_as) const;

 private:
  const nlohmann::json& body_;
};

}  // namespace huoyan::app
