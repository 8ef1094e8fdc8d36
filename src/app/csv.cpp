#include "app/csv.h"

#include <stdexcept>

namespace huoyan::app {

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, field_started = false;
  size_t i = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  auto end_row = [&] {
    row.push_back(field);
    field.clear();
    bool blank = row.size() == 1 && row[0].empty();
    if (!blank) rows.push_back(row);
    row.clear();
    field_started = false;
  };
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw std::invalid_argument("unterminated quote");
  if (field_started || !field.empty() || !row.empty()) end_row();
  return rows;
}

}  // namespace huoyan::app
