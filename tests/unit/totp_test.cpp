#include "domain/totp.h"

#include <gtest/gtest.h>

using namespace huoyan;

// RFC 6238 appendix B, SHA-256 column: the 32-byte ASCII seed, 8-digit codes.
const std::string kSeed = "12345678901234567890123456789012";

TEST(Totp, Rfc6238Sha256Vectors) {
  EXPECT_EQ(totp::code(kSeed, 59 / 30, 8), "46119246");
  EXPECT_EQ(totp::code(kSeed, 1111111109 / 30, 8), "68084774");
  EXPECT_EQ(totp::code(kSeed, 1234567890 / 30, 8), "91819424");
  EXPECT_EQ(totp::code(kSeed, 20000000000 / 30, 8), "77737706");
  EXPECT_EQ(totp::code(kSeed, 59 / 30), "119246");  // six digits: the last six
}

TEST(Totp, MatchesTheStepEitherSideOnlyOnce) {
  int64_t now = 1234567890 / 30;
  EXPECT_EQ(totp::match(kSeed, totp::code(kSeed, now), now, 0), now);
  EXPECT_EQ(totp::match(kSeed, totp::code(kSeed, now - 1), now, 0), now - 1);
  EXPECT_EQ(totp::match(kSeed, totp::code(kSeed, now + 1), now, 0), now + 1);
  EXPECT_FALSE(totp::match(kSeed, totp::code(kSeed, now - 2), now, 0));
  EXPECT_FALSE(totp::match(kSeed, totp::code(kSeed, now), now, now));  // used already
  EXPECT_FALSE(totp::match(kSeed, totp::code(kSeed, now - 1), now, now - 1));
  EXPECT_FALSE(totp::match(kSeed, "12345", now, 0));
  EXPECT_FALSE(totp::match("another secret", totp::code(kSeed, now), now, 0));
}

TEST(Totp, Base32RoundTripAndRfc4648Vectors) {
  EXPECT_EQ(totp::base32_encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(totp::base32_encode("f"), "MY");
  EXPECT_EQ(totp::base32_decode("MZXW6YTBOI"), std::optional<std::string>("foobar"));
  EXPECT_EQ(totp::base32_decode("mzxw 6ytb oi"), std::optional<std::string>("foobar"));
  EXPECT_FALSE(totp::base32_decode("MZXW1"));  // 1 is not in the alphabet
  std::string bytes(20, '\0');
  for (int i = 0; i < 20; ++i) bytes[i] = static_cast<char>(i * 13 + 7);
  EXPECT_EQ(totp::base32_decode(totp::base32_encode(bytes)), bytes);
  EXPECT_EQ(totp::base32_encode(bytes).size(), 32u);
}

TEST(Totp, KeyUriEncodesTheLabel) {
  EXPECT_EQ(totp::key_uri("火眼", "zhou jg", "MZXW6YTBOI"),
            "otpauth://totp/%E7%81%AB%E7%9C%BC:zhou%20jg?secret=MZXW6YTBOI&issuer=%E7%81%AB%E7%9C%BC&algorithm=SHA256&digits=6&period=30");
}

TEST(Totp, RecoveryCodesUseTheAlphabetUniformly) {
  std::string random;
  for (int i = 0; i < 10; ++i) random += static_cast<char>(i * 32 + i);  // byte % 32 == i
  EXPECT_EQ(totp::recovery_code(random), "23456789AB");
  EXPECT_EQ(totp::recovery_code(std::string(10, '\xff')), "ZZZZZZZZZZ");  // 255 % 32 == 31
}

TEST(Totp, RecoveryCodesAreReadAsTyped) {
  EXPECT_EQ(totp::normalize_recovery_code("ABCDE-23456"), "ABCDE23456");
  EXPECT_EQ(totp::normalize_recovery_code(" abcde 23456 "), "ABCDE23456");
  EXPECT_EQ(totp::normalize_recovery_code("abcde23456"), "ABCDE23456");
  EXPECT_FALSE(totp::normalize_recovery_code("ABCDE-2345"));     // short
  EXPECT_FALSE(totp::normalize_recovery_code("ABCDE-234567"));   // long
  EXPECT_FALSE(totp::normalize_recovery_code("ABCDE-2345O"));    // O is not in the alphabet (nor 0, 1, I)
  EXPECT_FALSE(totp::normalize_recovery_code("ABCDE-23451"));
  EXPECT_FALSE(totp::normalize_recovery_code("123456"));          // an authenticator's code
  EXPECT_FALSE(totp::normalize_recovery_code(""));
}
