#include "domain/deidentify.h"

#include <algorithm>
#include <cctype>

namespace huoyan::deidentify {

namespace {
size_t utf8_char_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

// 复姓 keep both characters (欧阳明 → 欧阳某), when the name is longer than the surname.
const std::vector<std::string>& compound_surnames() {
  static const std::vector<std::string> all = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                                               "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "闻人", "澹台", "公冶", "太史",
                                               "申屠", "端木", "濮阳", "百里", "南宫", "西门", "呼延", "万俟", "司空", "独孤"};
  return all;
}

size_t surname_bytes(const std::string& name) {
  for (const auto& c : compound_surnames())
    if (name.size() > c.size() && name.compare(0, c.size(), c) == 0) return c.size();
  return utf8_char_len(static_cast<unsigned char>(name[0]));
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}
}  // namespace

std::string text(const std::string& s, const std::vector<std::string>& names) {
  std::string out = s;
  // Longer names first, so 张卫民 is not half-replaced by a shorter 张卫.
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& name : sorted) {
    if (name.empty()) continue;
    size_t surname = surname_bytes(name);
    if (surname >= name.size()) continue;  // a one-character name would erase common words
    replace_all(out, name, name.substr(0, surname) + "某");
  }
  // Runs of digits: 11 from "1" is a mobile number, 17 digits (+ digit or X) a citizen ID.
  std::string masked;
  for (size_t i = 0; i < out.size();) {
    if (!std::isdigit(static_cast<unsigned char>(out[i]))) {
      masked += out[i++];
      continue;
    }
    size_t j = i;
    while (j < out.size() && std::isdigit(static_cast<unsigned char>(out[j]))) ++j;
    if (j - i == 17 && j < out.size() && (out[j] == 'X' || out[j] == 'x')) ++j;
    std::string run = out.substr(i, j - i);
    if (run.size() == 11 && run[0] == '1') run = run.substr(0, 3) + "****" + run.substr(7);
    else if (run.size() == 18) run = run.substr(0, 6) + "********" + run.substr(14);
    masked += run;
    i = j;
  }
  return masked;
}

}  // namespace huoyan::deidentify
