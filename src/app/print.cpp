#include "app/print.h"

#include "domain/clock.h"

namespace huoyan::app {

std::string esc(const nlohmann::json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string local_time(const nlohmann::json& iso) {
  if (!iso.is_string()) return "";
  auto t = clock::parse_iso(iso.get<std::string>());
  return t ? clock::local_date(*t) + " " + clock::local_hhmm(*t) : "";
}

const char* const kPrintStyle =
    "<style>@page{size:A4;margin:14mm}body{font-family:'Noto Sans CJK SC','Noto Sans SC',sans-serif;color:#111;"
    "margin:0}h1{text-align:center;font-size:22px;margin:0 0 4px}.sub{text-align:center;color:#555;margin-bottom:10px}"
    "table{width:100%;border-collapse:collapse;font-size:13px}td,th{border:1px solid #333;padding:5px 6px;"
    "vertical-align:top}th{background:#f2f2f2;width:16%;text-align:left;font-weight:600}.qr{float:right;width:110px;"
    "height:110px}.qr svg{width:110px;height:110px}.sign{height:46px}img.sig{display:block;height:48px;max-width:100%;margin-top:2px}.big{font-size:20px;line-height:1.8}"
    "@media screen{body{max-width:800px;margin:16px auto}}</style>";

}  // namespace huoyan::app
