#pragma once
// One-sheet .xlsx workbooks for the ledger exports (libxlsxwriter in constant-memory mode: each row goes to the
// temporary file as it is added, so a 100,000-row ledger is never held in memory).
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace huoyan::app {

struct XlsxColumn {
  const char* header;
  double width;
};
// A cell: text, or a number written as a number (amounts, counts).
using XlsxCell = std::variant<std::string, double>;

class XlsxRows {
 public:
  virtual ~XlsxRows() = default;
  // Appends a row, one cell per column in order.
  virtual void add(const std::vector<XlsxCell>& cells) = 0;
};

// The workbook's bytes: a sheet named `sheet` whose first column 序号 numbers the rows `fill` adds under a bold
// header row of `columns`.
std::string xlsx_sheet(const std::string& sheet, const std::vector<XlsxColumn>& columns, const std::function<void(XlsxRows&)>& fill);

}  // namespace huoyan::app
