#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "http/api.h"

using huoyan::http::parse_query;
using Query = std::map<std::string, std::string>;

TEST(ParseQuery, ReadsPairsAsUrlSearchParamsDoes) {
  EXPECT_EQ(parse_query(""), Query{});
  EXPECT_EQ(parse_query("state=closed&pageSize=3"), (Query{{"state", "closed"}, {"pageSize", "3"}}));
  // Empty parts and parts without '=' do not swallow the next pair (restinio's parse_query read "&pageSize" as a key).
  EXPECT_EQ(parse_query("&pageSize=3"), (Query{{"pageSize", "3"}}));
  EXPECT_EQ(parse_query("pageSize=3&&state=closed&"), (Query{{"pageSize", "3"}, {"state", "closed"}}));
  EXPECT_EQ(parse_query("tag&pageSize=3"), (Query{{"tag", ""}, {"pageSize", "3"}}));
  EXPECT_EQ(parse_query("q=&a=1=2"), (Query{{"q", ""}, {"a", "1=2"}}));
  EXPECT_EQ(parse_query("a=1&a=2"), (Query{{"a", "2"}}));
}

TEST(ParseQuery, DecodesEscapesAndPlus) {
  EXPECT_EQ(parse_query("q=%E9%87%91%E5%87%A4+%E9%95%87&to=2026-12-05T00%3A00%3A00Z"),
            (Query{{"q", "金凤 镇"}, {"to", "2026-12-05T00:00:00Z"}}));
  EXPECT_EQ(parse_query("q=%26%3D%2B"), (Query{{"q", "&=+"}}));
  EXPECT_EQ(parse_query("q=金凤"), (Query{{"q", "金凤"}}));  // raw UTF-8, as some clients send it
  EXPECT_THROW(parse_query("q=%zz"), std::invalid_argument);
  EXPECT_THROW(parse_query("q=%E9%8"), std::invalid_argument);
  EXPECT_THROW(parse_query("q=%E4%B8"), std::invalid_argument);  // escapes of a cut UTF-8 sequence
  EXPECT_THROW(parse_query("%FF=1"), std::invalid_argument);
}
