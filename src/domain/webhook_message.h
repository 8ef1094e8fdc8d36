#pragma once
// The HTTP request each kind of robot expects for one notification, and how
// to read its reply. Pure: the caller sends it (net/http_client.h).
//   wecom    企业微信群机器人: {"msgtype":"markdown","markdown":{"content":...}}, reply {"errcode":0}
//   dingtalk 钉钉自定义机器人: {"msgtype":"markdown","markdown":{"title","text"}}, reply {"errcode":0};
//            with a secret, "加签": &timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256(secret, "<ms>\n<secret>")>
//   json     {"event","eventLabel","title","body","link","sentAt"}; with a secret, header
//            X-Huoyan-Signature: sha256=<hex HMAC-SHA256(secret, body)>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace huoyan::webhook {

struct Message {
  std::string event, event_label, title, body;
  std::string link;  // absolute URL, or empty
  std::string sent_at;  // ISO UTC
};

struct HttpPost {
  std::string url;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

HttpPost build_request(std::string_view format, const std::string& url, const std::string& secret, const Message& m,
                       long long now_ms);

// nullopt when the reply means delivered: a 2xx status and, for the robots, errcode 0.
std::optional<std::string> reply_error(std::string_view format, long status, const std::string& body);

std::string hmac_sha256(const std::string& key, const std::string& data);  // raw 32 bytes
std::string url_encode(std::string_view s);

}  // namespace huoyan::webhook
