#include <gtest/gtest.h>
#include <chrono>
#include <thread>

#include "app/auth.h"
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

TEST(Tokens, TimeOrderedTokensSortByCreationAndStayRandom) {
  std::string first = time_ordered_token(12);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::string second = time_ordered_token(12), third = time_ordered_token(12);
  EXPECT_EQ(first.size(), 11u + 16u);
  EXPECT_LT(first, second);
  // The first 11 characters are the creation time in hex milliseconds (the random part may begin with a hex digit).
  size_t digits = 0;
  long long stamp = std::stoll(first.substr(0, 11), &digits, 16);
  EXPECT_EQ(digits, 11u) << first;
  long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(stamp), static_cast<double>(now_ms), 5000.0) << first;
  EXPECT_EQ(second.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"), std::string::npos);
  EXPECT_NE(second.substr(11), third.substr(11));
}

TEST(Qr, SvgEncodesSomething) {
  auto a = qr_svg("https://example.org/r/v/abc");
  auto b = qr_svg("https://example.org/r/v/abd");
  EXPECT_EQ(a.rfind("<svg", 0), 0u);
  EXPECT_NE(a.find("<path"), std::string::npos);
  EXPECT_NE(a, b);
}

#include "app/files.h"

TEST(Images, WholeFilesOnly) {
  std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + std::string(40, 'x') + std::string("\xFF\xD9", 2);
  EXPECT_EQ(sniff_image(jpeg), "image/jpeg");
  EXPECT_EQ(sniff_image(jpeg.substr(0, jpeg.size() - 2)), "");  // cut before EOI
  std::string ihdr = std::string("\x00\x00\x00\x0DIHDR", 8) + std::string(13, '\x01') + std::string(4, '\x02');
  std::string iend = std::string("\x00\x00\x00\x00IEND\xAE\x42\x60\x82", 12);
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + ihdr + std::string(10, 'd') + iend;
  EXPECT_EQ(sniff_image(png), "image/png");
  EXPECT_EQ(sniff_image(png.substr(0, png.size() - 12)), "");  // no IEND
  EXPECT_EQ(sniff_image(png.substr(0, 20)), "");               // half an IHDR
  std::string vp8 = "VP8 " + std::string(10, 'v');
  std::string webp_body = "WEBP" + vp8;
  uint32_t size = static_cast<uint32_t>(webp_body.size());
  std::string webp = "RIFF" + std::string(reinterpret_cast<const char*>(&size), 4) + webp_body;
  EXPECT_EQ(sniff_image(webp), "image/webp");
  EXPECT_EQ(sniff_image(webp.substr(0, webp.size() - 3)), "");  // cut short
  EXPECT_EQ(sniff_image("GIF89a......"), "");
}
