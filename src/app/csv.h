#pragma once
// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM.
#include <string>
#include <vector>

namespace huoyan::app {

// Rows of fields; blank lines are skipped. Throws std::invalid_argument on an
// unterminated quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace huoyan::app
