#pragma once
// The routes' regex engine: RESTinio's PCRE2 engine, running a route's regex only for a path that starts with
// the route's literal start. RESTinio tries the ~150 routes in turn; most differ from the path in their first
// characters, and a pcre2_match with its match data cost a sixth of a permit's detail.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#define PCRE2_CODE_UNIT_WIDTH 8  // before pcre2.h: the 8-bit library
#include <restinio/router/pcre2_regex_engine.hpp>

namespace huoyan::http {

struct RouteRegexEngine {
  using Pcre2 = restinio::router::pcre2_regex_engine_t<>;
  struct compiled_regex_t {
    std::string prefix;  // every path the regex matches starts with it
    bool case_sensitive;
    Pcre2::compiled_regex_t regex;
  };
  // Made for each route tried; PCRE2's match data only for one whose prefix the path has.
  struct match_results_t {
    std::optional<Pcre2::match_results_t> pcre2;
    size_t size() const { return pcre2 ? pcre2->size() : 0; }
    auto operator[](size_t i) const { return (*pcre2)[i]; }
  };
  using matched_item_descriptor_t = Pcre2::matched_item_descriptor_t;

  static constexpr size_t max_capture_groups() { return Pcre2::max_capture_groups(); }
  static compiled_regex_t compile_regex(restinio::string_view_t r, bool case_sensitive) {
    return {literal_prefix(r), case_sensitive, Pcre2::compile_regex(r, case_sensitive)};
  }
  static bool try_match(restinio::string_view_t path, const compiled_regex_t& r, match_results_t& m) {
    if (path.size() < r.prefix.size()) return false;
    auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
    auto same = [&](char a, char b) { return a == b || (!r.case_sensitive && lower(a) == lower(b)); };
    if (!std::equal(r.prefix.begin(), r.prefix.end(), path.begin(), same)) return false;
    m.pcre2.emplace();
    return Pcre2::try_match(path, r.regex, *m.pcre2);
  }
  static auto submatch_begin_pos(const matched_item_descriptor_t& d) { return Pcre2::submatch_begin_pos(d); }
  static auto submatch_end_pos(const matched_item_descriptor_t& d) { return Pcre2::submatch_end_pos(d); }

  // The characters a regex "^..." matches literally before its first operator ("\/" is "/"; a character a
  // quantifier may make absent is left out). None for a regex with an alternative outside any group.
  static std::string literal_prefix(std::string_view r) {
    if (!r.starts_with('^') || has_top_level_alternative(r)) return {};
    std::string out;
    for (size_t i = 1; i < r.size(); ++i) {
      char c = r[i];
      if (c == '\\') {
        if (i + 1 == r.size() || std::isalnum(static_cast<unsigned char>(r[i + 1]))) break;  // \d, \w: classes
        c = r[++i];
      } else if (std::strchr(".^$|?*+()[]{}", c)) {
        break;
      }
      if (i + 1 < r.size() && std::strchr("?*{", r[i + 1])) break;
      out += c;
    }
    return out;
  }
  static bool has_top_level_alternative(std::string_view r) {
    int depth = 0;
    for (size_t i = 0; i < r.size(); ++i) {
      if (r[i] == '\\') ++i;
      else if (r[i] == '[') {  // a class: up to its closing ']' ("[]...]" and "[^]...]" hold a ']')
        i += r.substr(i + 1).starts_with('^') ? 2 : 1;
        if (i < r.size() && r[i] == ']') ++i;
        while (i < r.size() && r[i] != ']') i += r[i] == '\\' ? 2 : 1;
      } else if (r[i] == '(') ++depth;
      else if (r[i] == ')') --depth;
      else if (r[i] == '|' && depth == 0) return true;
    }
    return false;
  }
};

}  // namespace huoyan::http
