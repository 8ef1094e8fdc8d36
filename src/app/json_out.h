#pragma once
// JSON text written as it is produced (RapidJSON's writer), for the hot read routes: no JSON tree per row.
// Keys are written in the order given; the caller keeps objects and arrays balanced.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "store/db.h"

namespace huoyan::app {

class JsonOut {
 public:
  JsonOut() : writer_(buffer_) {}
  JsonOut(const JsonOut&) = delete;  // the writer points at this object's buffer
  JsonOut& operator=(const JsonOut&) = delete;
  JsonOut& begin_object() { writer_.StartObject(); return *this; }
  JsonOut& end_object() { writer_.EndObject(); return *this; }
  JsonOut& begin_array() { writer_.StartArray(); return *this; }
  JsonOut& end_array() { writer_.EndArray(); return *this; }
  JsonOut& key(std::string_view k) { writer_.Key(k.data(), size(k)); return *this; }
  JsonOut& text(std::string_view v) { writer_.String(v.data(), size(v)); return *this; }
  JsonOut& integer(long long v) { writer_.Int64(v); return *this; }
  JsonOut& number(double v) { writer_.Double(v); return *this; }
  JsonOut& boolean(bool v) { writer_.Bool(v); return *this; }
  JsonOut& null() { writer_.Null(); return *this; }
  // Text that is already JSON (a column our own code wrote as JSON), copied as it is.
  JsonOut& raw(std::string_view json_text) { writer_.RawValue(json_text.data(), json_text.size(), rapidjson::kObjectType); return *this; }
  JsonOut& value(const nlohmann::json& v) { return raw(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)); }

  // A column as text / integer / boolean / JSON, or null when it is null.
  JsonOut& text_of(const store::RowView& row, std::string_view column) { return row.null(column) ? null() : text(row.text(column)); }
  JsonOut& integer_of(const store::RowView& row, std::string_view column) {
    return row.null(column) ? null() : integer(row.integer(column));
  }
  JsonOut& boolean_of(const store::RowView& row, std::string_view column) {
    return row.null(column) ? null() : boolean(row.integer(column) != 0);
  }
  JsonOut& raw_of(const store::RowView& row, std::string_view column) { return row.null(column) ? null() : raw(row.text(column)); }

  std::string str() const { return {buffer_.GetString(), buffer_.GetSize()}; }

 private:
  static rapidjson::SizeType size(std::string_view s) { return static_cast<rapidjson::SizeType>(s.size()); }
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace huoyan::app
