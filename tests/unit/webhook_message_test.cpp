#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "domain/webhook_message.h"

using namespace huoyan::webhook;
using nlohmann::json;

namespace {
const Message kMsg{"hazard.assigned", "隐患交办", "金凤农贸市场 隐患 YH-20261203-0001 已交办", "整改期限 2026-12-08",
                   "https://huoyan.example.cn/hazards/1", "2026-12-02T19:40:31Z"};

std::string header(const HttpPost& p, const std::string& name) {
  for (const auto& [k, v] : p.headers)
    if (k == name) return v;
  return "";
}
}  // namespace

TEST(WebhookMessage, WecomIsMarkdownWithTitleEventBodyAndLink) {
  auto p = build_request("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", "", kMsg, 0);
  EXPECT_EQ(p.url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K");
  json b = json::parse(p.body);
  EXPECT_EQ(b["msgtype"], "markdown");
  EXPECT_EQ(b["markdown"]["content"],
            "**【火眼】金凤农贸市场 隐患 YH-20261203-0001 已交办**\n> 隐患交办\n\n整改期限 2026-12-08\n\n"
            "[查看详情](https://huoyan.example.cn/hazards/1)");
}

TEST(WebhookMessage, DingtalkSignsTheUrlWhenGivenASecret) {
  // Reference: base64(HMAC-SHA256("SECabc", "1796240424000\nSECabc")), URL-encoded, computed with Python's hmac.
  auto p = build_request("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", "SECabc", kMsg, 1796240424000);
  EXPECT_EQ(p.url, "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1796240424000"
                   "&sign=K6JWZwamujMuhGfDB7qkT6ceyl8dp1VlJJXgXTIpkEI%3D");
  json b = json::parse(p.body);
  EXPECT_EQ(b["markdown"]["title"], "【火眼】金凤农贸市场 隐患 YH-20261203-0001 已交办");
  EXPECT_NE(b["markdown"]["text"].get<std::string>().find("[查看详情](https://huoyan.example.cn/hazards/1)"), std::string::npos);
  auto unsigned_post = build_request("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", "", kMsg, 1);
  EXPECT_EQ(unsigned_post.url, "https://oapi.dingtalk.com/robot/send?access_token=T");
}

TEST(WebhookMessage, JsonCarriesTheEventAndAnHmacOfTheBody) {
  auto p = build_request("json", "http://127.0.0.1:9/hook", "k3y", kMsg, 0);
  json b = json::parse(p.body);
  EXPECT_EQ(b["event"], "hazard.assigned");
  EXPECT_EQ(b["link"], kMsg.link);
  EXPECT_EQ(header(p, "X-Huoyan-Event"), "hazard.assigned");
  std::string sig = header(p, "X-Huoyan-Signature");
  ASSERT_EQ(sig.size(), 7u + 64u);
  EXPECT_EQ(sig.substr(0, 7), "sha256=");
  EXPECT_EQ(header(build_request("json", "http://x/h", "", kMsg, 0), "X-Huoyan-Signature"), "");
  // a different body gives a different signature
  Message other = kMsg;
  other.title += "!";
  EXPECT_NE(header(build_request("json", "http://x/h", "k3y", other, 0), "X-Huoyan-Signature"), sig);
}

TEST(WebhookMessage, NoLinkNoDetailLine) {
  Message m = kMsg;
  m.link.clear();
  auto p = build_request("wecom", "https://x/h", "", m, 0);
  EXPECT_EQ(json::parse(p.body)["markdown"]["content"].get<std::string>().find("查看详情"), std::string::npos);
}

TEST(WebhookMessage, LongBodiesAreCutOnACharacterBoundary) {
  Message m = kMsg;
  m.body.clear();
  for (int i = 0; i < 1000; ++i) m.body += "隐";  // 3000 bytes
  auto content = json::parse(build_request("wecom", "https://x/h", "", m, 0).body)["markdown"]["content"].get<std::string>();
  EXPECT_LT(content.size(), 2300u);
  EXPECT_NE(content.find("…"), std::string::npos);
}

TEST(WebhookMessage, RepliesAreReadPerFormat) {
  EXPECT_EQ(reply_error("wecom", 200, R"({"errcode":0,"errmsg":"ok"})"), std::nullopt);
  EXPECT_NE(reply_error("wecom", 200, R"({"errcode":93000,"errmsg":"invalid webhook url"})")->find("93000"), std::string::npos);
  EXPECT_NE(reply_error("dingtalk", 200, R"({"errcode":310000,"errmsg":1})")->find("310000"), std::string::npos);
  EXPECT_TRUE(reply_error("dingtalk", 200, "<html>").has_value());
  EXPECT_EQ(reply_error("dingtalk", 502, R"({"errcode":0})"), "HTTP 502");
  EXPECT_EQ(reply_error("json", 204, ""), std::nullopt);
  EXPECT_EQ(reply_error("json", 404, ""), "HTTP 404");
}

TEST(WebhookMessage, UrlEncodeKeepsUnreservedOnly) {
  EXPECT_EQ(url_encode("a+b/c=d~e_f.g-h"), "a%2Bb%2Fc%3Dd~e_f.g-h");
  EXPECT_EQ(url_encode("中"), "%E4%B8%AD");
}
