#include <gtest/gtest.h>

#include "app/csv.h"
#include "app/qr.h"
#include "app/registries.h"

using namespace huoyan::app;

TEST(Csv, QuotesNewlinesBomAndBlankLines) {
  auto rows = parse_csv("\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\n\n\"multi\nline\",2,3");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x, y", "he said \"hi\"", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"multi\nline", "2", "3"}));
  EXPECT_THROW(parse_csv("a,\"unterminated\n"), std::invalid_argument);
}

TEST(CertificateState, FromDatesAndStatus) {
  const std::string today = "2026-11-22";
  EXPECT_EQ(certificate_state("valid", "2029-01-01", "2027-06-01", today), "valid");
  EXPECT_EQ(certificate_state("valid", "2026-12-31", "", today), "expiring");            // within 60 days
  EXPECT_EQ(certificate_state("valid", "2029-01-01", "2027-01-10", today), "expiring");  // review due soon
  EXPECT_EQ(certificate_state("valid", "2026-11-21", "", today), "expired");
  EXPECT_EQ(certificate_state("valid", "2026-11-22", "", today), "expiring");  // last valid day
  EXPECT_EQ(certificate_state("valid", "2029-01-01", "2026-11-01", today), "review_overdue");
  EXPECT_EQ(certificate_state("revoked", "2029-01-01", "", today), "revoked");
  EXPECT_EQ(certificate_state("suspended", "2020-01-01", "", today), "suspended");
}

TEST(Qr, SvgEncodesSomething) {
  auto a = qr_svg("https://example.org/r/v/abc");
  auto b = qr_svg("https://example.org/r/v/abd");
  EXPECT_EQ(a.rfind("<svg", 0), 0u);
  EXPECT_NE(a.find("<path"), std::string::npos);
  EXPECT_NE(a, b);
}
