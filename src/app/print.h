#pragma once
// Printable A4 pages (permits, notices, posters): one stylesheet and the
// escaping every value needs before it goes into HTML.
#include <nlohmann/json.hpp>
#include <string>

namespace huoyan::app {

// HTML-escaped text of a JSON value (strings as they are, null as "", others dumped).
std::string esc(const nlohmann::json& v);
// "2026-11-24 09:00" in China for an ISO time; "" for anything else.
std::string local_time(const nlohmann::json& iso);
// <style> for A4 print pages.
extern const char* const kPrintStyle;

}  // namespace huoyan::app
