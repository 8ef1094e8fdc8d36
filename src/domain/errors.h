#pragma once
// The one error type that crosses layers. The HTTP layer renders it as
// {"code", "message", "field"} with `status`; nothing else reaches a client.
#include <stdexcept>
#include <string>

namespace huoyan {

struct ApiError : std::runtime_error {
  int status;
  std::string code;     // stable, SCREAMING_SNAKE, documented in openapi.yaml
  std::string field;    // offending input field, or empty
  ApiError(int status, std::string code, const std::string& message, std::string field = {})
      : std::runtime_error(message), status(status), code(std::move(code)), field(std::move(field)) {}
};

inline ApiError bad_request(std::string code, const std::string& message, std::string field = {}) {
  return {400, std::move(code), message, std::move(field)};
}
inline ApiError not_found() { return {404, "NOT_FOUND", "记录不存在或不在您的数据范围内"}; }
inline ApiError forbidden() { return {403, "FORBIDDEN", "您没有执行此操作的权限"}; }
inline ApiError conflict(std::string code, const std::string& message, std::string field = {}) {
  return {409, std::move(code), message, std::move(field)};
}

}  // namespace huoyan
