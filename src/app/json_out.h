#pragma once
// JSON text written as it is produced (RapidJSON's writer), for the hot read routes: no JSON tree per row.
// Keys are written in the order given; the caller keeps objects and arrays balanced.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstring>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "store/db.h"

namespace huoyan::app {

class JsonOut {
  // RapidJSON's writer, and strings copied as they are where nothing in them needs escaping.
  struct Writer : rapidjson::Writer<rapidjson::StringBuffer> {
    using rapidjson::Writer<rapidjson::StringBuffer>::Writer;
    void string(std::string_view s, bool as_key) {
      if (!as_key && !plain(s)) return void(String(s.data(), size(s)));
      Prefix(rapidjson::kStringType);
      char* p = os_->Push(s.size() + 2);
      p[0] = '"';
      std::memcpy(p + 1, s.data(), s.size());
      p[s.size() + 1] = '"';
    }
    // Whether `s` has no quote, backslash or control character. Sixteen bytes at a time where SSE2 is there
    // (every x86-64; a shorter rest is copied into a block of spaces): a list page is some 20 KB of text.
    static bool plain(std::string_view s) {
#ifdef __SSE2__
      auto clean = [](const char* p) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), last_control = _mm_set1_epi8(0x1F);
        const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);  // v <= 0x1F, unsigned
        const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        return _mm_movemask_epi8(_mm_or_si128(special, control)) == 0;
      };
      size_t i = 0;
      for (; i + 16 <= s.size(); i += 16)
        if (!clean(s.data() + i)) return false;
      if (i == s.size()) return true;
      char rest[16];
      std::memset(rest, ' ', sizeof rest);
      std::memcpy(rest, s.data() + i, s.size() - i);
      return clean(rest);
#else
      return std::none_of(s.begin(), s.end(), [](char ch) {
        auto c = static_cast<unsigned char>(ch);
        return c < 0x20 || c == '"' || c == '\\';
      });
#endif
    }
  };

 public:
  // `expected_bytes`: the buffer's first size, so that a large answer is not copied as it grows.
  explicit JsonOut(size_t expected_bytes = 1024) : buffer_(nullptr, expected_bytes), writer_(buffer_) {}
  JsonOut(const JsonOut&) = delete;  // the writer points at this object's buffer
  JsonOut& operator=(const JsonOut&) = delete;
  JsonOut& begin_object() { writer_.StartObject(); return *this; }
  JsonOut& end_object() { writer_.EndObject(); return *this; }
  JsonOut& begin_array() { writer_.StartArray(); return *this; }
  JsonOut& end_array() { writer_.EndArray(); return *this; }
  // `k` is a name of ours: nothing in it needs escaping.
  JsonOut& key(std::string_view k) { writer_.string(k, true); return *this; }
  JsonOut& text(std::string_view v) { writer_.string(v, false); return *this; }
  JsonOut& integer(long long v) { writer_.Int64(v); return *this; }
  JsonOut& number(double v) { writer_.Double(v); return *this; }
  JsonOut& boolean(bool v) { writer_.Bool(v); return *this; }
  JsonOut& null() { writer_.Null(); return *this; }
  // Text that is already JSON (a column our own code wrote as JSON), copied as it is.
  JsonOut& raw(std::string_view json_text) { writer_.RawValue(json_text.data(), json_text.size(), rapidjson::kObjectType); return *this; }
  JsonOut& value(const nlohmann::json& v) { return raw(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)); }

  // A column as text / integer / boolean / JSON, or null when it is null.
  JsonOut& text_of(const store::RowView& row, std::string_view column) {
    auto v = row.maybe_text(column);
    return v ? text(*v) : null();
  }
  JsonOut& integer_of(const store::RowView& row, std::string_view column) {
    auto v = row.maybe_integer(column);
    return v ? integer(*v) : null();
  }
  JsonOut& boolean_of(const store::RowView& row, std::string_view column) {
    return row.null(column) ? null() : boolean(row.integer(column) != 0);
  }
  JsonOut& raw_of(const store::RowView& row, std::string_view column) {
    auto v = row.maybe_text(column);
    return v ? raw(*v) : null();
  }

  std::string str() const { return {buffer_.GetString(), buffer_.GetSize()}; }

 private:
  static rapidjson::SizeType size(std::string_view s) { return static_cast<rapidjson::SizeType>(s.size()); }
  rapidjson::StringBuffer buffer_;
  Writer writer_;
};

}  // namespace huoyan::app
