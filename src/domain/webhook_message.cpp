#include "domain/webhook_message.h"

#include <sodium.h>

#include <cctype>

#include <nlohmann/json.hpp>

#include "domain/validate.h"

namespace huoyan::webhook {

using nlohmann::json;

namespace {
std::string base64(const std::string& raw) {
  std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string hex(const std::string& raw) {
  std::string out(raw.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  out.resize(raw.size() * 2);
  return out;
}
}  // namespace

std::string hmac_sha256(const std::string& key, const std::string& data) {
  crypto_auth_hmacsha256_state st;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  crypto_auth_hmacsha256_final(&st, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string url_encode(std::string_view s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += digits[ch >> 4];
      out += digits[ch & 15];
    }
  }
  return out;
}

HttpPost build_request(std::string_view format, const std::string& url, const std::string& secret, const Message& m,
                       long long now_ms) {
  HttpPost post{url, "", {{"Content-Type", "application/json; charset=utf-8"}}};
  std::string title = "【火眼】" + m.title;
  std::string body = validate::clip_utf8(m.body, 2000);  // robots cap a message (企业微信 4096 bytes)
  std::string more = m.link.empty() ? "" : "\n\n[查看详情](" + m.link + ")";
  if (format == "wecom") {
    post.body = json{{"msgtype", "markdown"},
                     {"markdown", {{"content", "**" + title + "**\n> " + m.event_label + "\n\n" + body + more}}}}.dump();
  } else if (format == "dingtalk") {
    post.body = json{{"msgtype", "markdown"},
                     {"markdown", {{"title", title}, {"text", "### " + title + "\n\n> " + m.event_label + "\n\n" + body + more}}}}
                    .dump();
    if (!secret.empty()) {
      std::string ts = std::to_string(now_ms);
      post.url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("timestamp=") + ts +
                  "&sign=" + url_encode(base64(hmac_sha256(secret, ts + "\n" + secret)));
    }
  } else {
    post.body = json{{"event", m.event}, {"eventLabel", m.event_label}, {"title", m.title}, {"body", m.body},
                     {"link", m.link}, {"sentAt", m.sent_at}}.dump();
    post.headers.emplace_back("X-Huoyan-Event", m.event);
    if (!secret.empty()) post.headers.emplace_back("X-Huoyan-Signature", "sha256=" + hex(hmac_sha256(secret, post.body)));
  }
  return post;
}

std::optional<std::string> reply_error(std::string_view format, long status, const std::string& body) {
  if (status < 200 || status > 299) return "HTTP " + std::to_string(status);
  if (format == "json") return std::nullopt;
  json reply = json::parse(body, nullptr, false);
  if (!reply.is_object() || !reply.contains("errcode")) return "机器人回复无法识别：" + validate::clip_utf8(body, 200);
  if (reply["errcode"] != 0)
    return "机器人拒收（errcode " + reply["errcode"].dump() + "）：" +
           (reply["errmsg"].is_string() ? validate::clip_utf8(reply["errmsg"].get<std::string>(), 200) : std::string());
  return std::nullopt;
}

}  // namespace huoyan::webhook
