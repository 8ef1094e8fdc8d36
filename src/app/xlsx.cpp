#include "app/xlsx.h"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "app/auth.h"

namespace huoyan::app {

namespace {

class SheetRows : public XlsxRows {
 public:
  explicit SheetRows(lxw_worksheet* ws) : ws_(ws) {}
  void add(const std::vector<XlsxCell>& cells) override {
    auto row = static_cast<lxw_row_t>(++count_);
    worksheet_write_number(ws_, row, 0, count_, nullptr);
    for (size_t i = 0; i < cells.size(); ++i) {
      auto col = static_cast<lxw_col_t>(i + 1);
      if (const auto* s = std::get_if<std::string>(&cells[i])) worksheet_write_string(ws_, row, col, s->c_str(), nullptr);
      else worksheet_write_number(ws_, row, col, std::get<double>(cells[i]), nullptr);
    }
  }

 private:
  lxw_worksheet* ws_;
  int count_ = 0;
};

}  // namespace

std::string xlsx_sheet(const std::string& sheet, const std::vector<XlsxColumn>& columns, const std::function<void(XlsxRows&)>& fill) {
  auto path = std::filesystem::temp_directory_path() / ("huoyan-export-" + random_token(8) + ".xlsx");
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) throw std::runtime_error("cannot create workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.c_str());
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  worksheet_set_column(ws, 0, 0, 6, nullptr);
  worksheet_write_string(ws, 0, 0, "序号", head);
  for (size_t i = 0; i < columns.size(); ++i) {
    auto col = static_cast<lxw_col_t>(i + 1);
    worksheet_set_column(ws, col, col, columns[i].width, nullptr);
    worksheet_write_string(ws, 0, col, columns[i].header, head);
  }
  SheetRows rows(ws);
  try {
    fill(rows);
  } catch (...) {
    workbook_close(wb);
    std::filesystem::remove(path);
    throw;
  }
  lxw_error err = workbook_close(wb);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  if (err != LXW_NO_ERROR) throw std::runtime_error(std::string("xlsx: ") + lxw_strerror(err));
  return bytes.str();
}

}  // namespace huoyan::app
