#include <gtest/gtest.h>

#include "app/files.h"
#include "domain/hazard.h"

using namespace huoyan;
using namespace huoyan::hazard;
using namespace std::string_literals;

TEST(Hazard, StateMachine) {
  EXPECT_EQ(next_state(State::Reported, Command::Assign), State::Rectifying);
  EXPECT_EQ(next_state(State::Rectifying, Command::Rectify), State::AwaitingRecheck);
  EXPECT_EQ(next_state(State::AwaitingRecheck, Command::Recheck, true), State::Closed);
  EXPECT_EQ(next_state(State::AwaitingRecheck, Command::Recheck, false), State::Rectifying);
  EXPECT_EQ(next_state(State::Closed, Command::Reopen), State::Rectifying);
  // Nothing skips a step.
  EXPECT_FALSE(next_state(State::Reported, Command::Rectify));
  EXPECT_FALSE(next_state(State::Rectifying, Command::Recheck));
  EXPECT_FALSE(next_state(State::Closed, Command::Assign));
  EXPECT_FALSE(next_state(State::Rectifying, Command::Reopen));
  for (State s : {State::Reported, State::Rectifying, State::AwaitingRecheck, State::Closed})
    EXPECT_EQ(parse_state(state_key(s)), s);
  EXPECT_FALSE(parse_state("open"));
}

TEST(Hazard, WorkingDaysSkipWeekendsAndHolidaysButCountMakeUpDays) {
  permit::Calendar cal;
  // 2026: 国庆 Oct 1–7 off; Sat Oct 10 is a make-up working day.
  for (int d = 1; d <= 7; ++d) cal.holidays.insert("2026-10-0" + std::to_string(d));
  cal.workdays.insert("2026-10-10");
  // Tue 2026-12-01 + 3 working days: Wed, Thu, Fri.
  EXPECT_EQ(add_working_days(cal, "2026-12-01", 3), "2026-12-04");
  // Fri 2026-12-04 + 1 working day: the weekend is skipped.
  EXPECT_EQ(add_working_days(cal, "2026-12-04", 1), "2026-12-07");
  // Wed 2026-09-30 + 1: the holiday week is skipped; Thu Oct 8.
  EXPECT_EQ(add_working_days(cal, "2026-09-30", 1), "2026-10-08");
  // Fri Oct 9 + 1: Saturday Oct 10 is a working day.
  EXPECT_EQ(add_working_days(cal, "2026-10-09", 1), "2026-10-10");
  // A major hazard gets at least 30 working days.
  EXPECT_EQ(default_deadline(cal, "2026-12-01", 3, false), "2026-12-04");
  EXPECT_EQ(default_deadline(cal, "2026-12-01", 3, true), add_working_days(cal, "2026-12-01", 30));
}

TEST(Hazard, ReportVerificationTimes) {
  permit::Calendar cal;
  auto received = *clock::parse_iso("2026-12-04T16:00:00+08:00");  // a Friday afternoon
  // 24 hours for a blocked exit, whatever the day.
  EXPECT_EQ(clock::iso_utc(report_verify_by(cal, received, 24)), "2026-12-05T08:00:00Z");
  // Otherwise the end of the third working day: Mon, Tue, Wed → Wed 23:59:59 in China.
  EXPECT_EQ(clock::iso_utc(report_verify_by(cal, received, std::nullopt)), "2026-12-09T15:59:59Z");
}

namespace {
std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s += static_cast<char>(x);
  return s;
}
std::string png_chunk(const std::string& type, const std::string& data) {
  std::string len = bytes({0, 0, 0, static_cast<int>(data.size())});
  return len + type + data + "CRC!";  // the CRC is not checked here
}
}  // namespace

TEST(ImageMetadata, JpegLosesExifAndCommentsKeepsTheImage) {
  std::string app0 = bytes({0xFF, 0xE0, 0x00, 0x07}) + "JFIF\0"s;
  std::string exif = bytes({0xFF, 0xE1, 0x00, 0x0E}) + "Exif\0\0GPS-XYZ"s.substr(0, 12);
  std::string com = bytes({0xFF, 0xFE, 0x00, 0x08}) + "secret";
  std::string scan = bytes({0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9});
  std::string jpeg = bytes({0xFF, 0xD8}) + app0 + exif + com + scan;
  auto clean = app::strip_image_metadata(jpeg, "image/jpeg");
  ASSERT_TRUE(clean);
  EXPECT_EQ(*clean, bytes({0xFF, 0xD8}) + app0 + scan);
  EXPECT_EQ(clean->find("GPS"), std::string::npos);
  // A segment longer than the file is a broken file.
  EXPECT_FALSE(app::strip_image_metadata(bytes({0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x01}), "image/jpeg"));
}

TEST(ImageMetadata, PngLosesTextChunks) {
  std::string sig = "\x89PNG\r\n\x1a\n";
  std::string ihdr = png_chunk("IHDR", std::string(13, '\1'));
  std::string text = png_chunk("tEXt", "Author\0me"s);
  std::string idat = png_chunk("IDAT", "data");
  std::string iend = png_chunk("IEND", "");
  auto clean = app::strip_image_metadata(sig + ihdr + text + idat + iend, "image/png");
  ASSERT_TRUE(clean);
  EXPECT_EQ(*clean, sig + ihdr + idat + iend);
  EXPECT_FALSE(app::strip_image_metadata(sig + ihdr + idat, "image/png"));  // no IEND
}

TEST(ImageMetadata, WebpLosesExifAndClearsItsFlag) {
  auto chunk = [](const std::string& type, const std::string& data) {
    return type + bytes({static_cast<int>(data.size()), 0, 0, 0}) + data + (data.size() % 2 ? "\0"s : "");
  };
  std::string vp8x = chunk("VP8X", bytes({0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0}));  // EXIF flag set
  std::string image = chunk("VP8L", "abcde");
  std::string exif = chunk("EXIF", "GPS-XYZ");
  auto riff = [](const std::string& body) {
    size_t n = body.size() + 4;
    return "RIFF" + bytes({static_cast<int>(n & 0xFF), static_cast<int>((n >> 8) & 0xFF), 0, 0}) + "WEBP" + body;
  };
  auto clean = app::strip_image_metadata(riff(vp8x + image + exif), "image/webp");
  ASSERT_TRUE(clean);
  std::string want_vp8x = chunk("VP8X", bytes({0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(*clean, riff(want_vp8x + image));
}

#include "domain/deidentify.h"

TEST(Deidentify, NamesBecomeSurnamePlusMouAndNumbersAreMasked) {
  std::string s = "负责人邓华、张卫民（电话13883510010，身份证50010719800101123X）拒不整改；张卫另有他责";
  std::string out = deidentify::text(s, {"张卫", "邓华", "张卫民"});
  EXPECT_EQ(out, "负责人邓某、张某（电话138****0010，身份证500107********123X）拒不整改；张某另有他责");
  // One-character names would erase ordinary words; they are left alone, and short digit runs stay.
  EXPECT_EQ(deidentify::text("罚款 30000 元，王", {"王"}), "罚款 30000 元，王");
}

TEST(Deidentify, CompoundSurnamesKeepBothCharacters) {
  EXPECT_EQ(deidentify::text("司马光、欧阳娜娜和马光", {"司马光", "欧阳娜娜", "马光"}), "司马某、欧阳某和马某");
  // a two-character name that is only a compound surname's characters keeps its first one
  EXPECT_EQ(deidentify::text("司马在场", {"司马"}), "司某在场");
}
