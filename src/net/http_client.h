#pragma once
// One outgoing HTTP POST (libcurl), bounded in time and reply size, http and
// https only, no redirects followed. For webhooks; never called inside a
// database transaction.
#include <string>
#include <utility>
#include <vector>

namespace huoyan::net {

struct HttpReply {
  long status = 0;     // 0 when no reply arrived
  std::string body;    // at most 64 KiB
  std::string error;   // transport error in Chinese, empty when a reply arrived
};

HttpReply post(const std::string& url, const std::string& body,
               const std::vector<std::pair<std::string, std::string>>& headers, long timeout_ms = 5000);

}  // namespace huoyan::net
