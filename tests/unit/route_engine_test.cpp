#include "http/route_engine.h"

#include <gtest/gtest.h>

using huoyan::http::RouteRegexEngine;

// A route's literal start stops at its first operator, and leaves out a character a quantifier may make absent,
// so that no path the regex matches is passed over.
TEST(RouteRegexEngine, LiteralPrefixIsWhatEveryMatchingPathStartsWith) {
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/api\/permits\/([^\/]+?)$)"), "/api/permits/");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/api\/dict-types\/([^\/]+?)\/items$)"), "/api/dict-types/");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/api\/permits\/?$)"), "/api/permits");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/api\/a\d+)"), "/api/a");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/ab*c)"), "/a");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/ab{2}c)"), "/a");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/ab+c)"), "/ab");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/a|\/b)"), "");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/a(?:x|y)|\/b)"), "");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/api\/v(?=\/|$))"), "/api/v");  // RESTinio's own ending
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(^\/a[|(]\/b)"), "/a");
  EXPECT_EQ(RouteRegexEngine::literal_prefix(R"(\/api)"), "");
}

// A regex runs only for a path with its route's prefix, and what it captures is read as with PCRE2 alone.
TEST(RouteRegexEngine, MatchesAndCapturesAsPcre2) {
  auto detail = RouteRegexEngine::compile_regex(R"(^\/api\/permits\/([^\/]+?)(?:\/)?$)", false);
  auto match = [&](std::string_view path) -> std::optional<std::string> {
    RouteRegexEngine::match_results_t m;
    if (!RouteRegexEngine::try_match(path, detail, m)) return std::nullopt;
    EXPECT_EQ(m.size(), 2u);
    return std::string(path.substr(RouteRegexEngine::submatch_begin_pos(m[1]),
                                   RouteRegexEngine::submatch_end_pos(m[1]) - RouteRegexEngine::submatch_begin_pos(m[1])));
  };
  EXPECT_EQ(match("/api/permits/9999"), "9999");
  EXPECT_EQ(match("/api/permits/9999/"), "9999");
  EXPECT_EQ(match("/API/Permits/9"), "9");  // RESTinio's routes ignore case unless told otherwise
  EXPECT_EQ(match("/api/permits"), std::nullopt);
  EXPECT_EQ(match("/api/permit/9"), std::nullopt);
  EXPECT_EQ(match("/api/permits/9/x"), std::nullopt);  // the prefix matches, the regex does not
}
