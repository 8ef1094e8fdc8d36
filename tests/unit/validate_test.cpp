#include "domain/validate.h"

#include <gtest/gtest.h>

using namespace huoyan::validate;

TEST(CitizenId, AcceptsValidCheckDigits) {
  EXPECT_TRUE(citizen_id("11010519491231002X"));  // GB 11643 example
  EXPECT_TRUE(citizen_id("11010519491231002x"));
  EXPECT_TRUE(citizen_id("440524188001010014"));
}

TEST(CitizenId, RejectsWrongCheckDigitLengthAndDate) {
  EXPECT_FALSE(citizen_id("110105194912310021"));  // check should be X
  EXPECT_FALSE(citizen_id("11010519491231002"));
  EXPECT_FALSE(citizen_id("1101051949123100211"));
  EXPECT_FALSE(citizen_id("11010519490231002X"));  // 31 Feb... check digit aside, date invalid
  EXPECT_FALSE(citizen_id("1101051949A231002X"));
}

TEST(CreditCode, AcceptsValidAndRejectsTampered) {
  EXPECT_TRUE(credit_code("91350100M000100Y43"));
  EXPECT_TRUE(credit_code("911101080828461726"));
  EXPECT_FALSE(credit_code("91350100M000100Y44"));
  EXPECT_FALSE(credit_code("91350100M000100Y4"));
  EXPECT_FALSE(credit_code("91350100I000100Y43"));  // I is not in the alphabet
}

TEST(Phone, MobileNumbers) {
  EXPECT_TRUE(mobile_phone("13800000000"));
  EXPECT_TRUE(mobile_phone("19912345678"));
  EXPECT_FALSE(mobile_phone("12800000000"));
  EXPECT_FALSE(mobile_phone("1380000000"));
  EXPECT_FALSE(mobile_phone("1380000000a"));
}

TEST(Password, Rules) {
  EXPECT_FALSE(password_problem("Huoyan@2025").has_value());
  EXPECT_EQ(password_problem("Ab1!"), std::optional<std::string>("密码至少 8 位"));
  EXPECT_TRUE(password_problem("abcdefgh1").has_value());   // no symbol
  EXPECT_TRUE(password_problem("abcdefgh!").has_value());   // no digit
  EXPECT_TRUE(password_problem("12345678!").has_value());   // no letter
  EXPECT_TRUE(password_problem("密码密码1a!").has_value()); // non-ASCII
}

TEST(Username, Rules) {
  EXPECT_TRUE(username("sw_officer"));
  EXPECT_FALSE(username("Admin"));
  EXPECT_FALSE(username("1abc"));
  EXPECT_FALSE(username("ab"));
  EXPECT_FALSE(username("a b c"));
}

TEST(Utf8, LengthAndValidity) {
  EXPECT_EQ(utf8_length("金凤镇"), 3u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_FALSE(utf8_length(std::string("\xe9\x87", 2)).has_value());
  EXPECT_FALSE(utf8_length(std::string("\xff", 1)).has_value());
}

TEST(Masking, PhoneAndId) {
  EXPECT_EQ(mask_phone("13812341234"), "138****1234");
  EXPECT_EQ(mask_citizen_id("11010519491231002X"), "1101**********002X");
}
