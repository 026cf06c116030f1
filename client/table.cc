#include "client/table.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "domain/text.h"

namespace cpc {
namespace {

// Width on a terminal: UTF-8 continuation bytes take no column.
size_t DisplayWidth(const std::string& text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

}  // namespace

Table::Table(std::vector<std::string> headers)
    : headers_(std::move(headers)), right_(headers_.size(), false) {
  for (std::string& header : headers_) absl::AsciiStrToUpper(&header);
}

void Table::AlignRight(size_t column) { right_.at(column) = true; }

// Cells and notes show stored text: a line break or a terminal escape in it
// must not start a forged row.
void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (std::string& cell : cells) cell = cpctrack::domain::EscapeUnprintable(cell);
  rows_.push_back(std::move(cells));
}

void Table::AddNote(std::string note) {
  notes_.emplace_back(rows_.size() - 1, cpctrack::domain::EscapeUnprintable(note));
}

std::string Table::Render(size_t indent) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t c = 0; c < headers_.size(); ++c) {
    widths[c] = DisplayWidth(headers_[c]);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  auto render_row = [&](const std::vector<std::string>& cells) {
    std::string line(indent, ' ');
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string pad(widths[c] - DisplayWidth(cells[c]), ' ');
      if (c > 0) line += "  ";
      line += right_[c] ? pad + cells[c] : cells[c] + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  };
  render_row(headers_);
  auto note = notes_.begin();
  const std::string note_indent(indent + widths[0] + 2, ' ');
  for (size_t r = 0; r < rows_.size(); ++r) {
    render_row(rows_[r]);
    for (; note != notes_.end() && note->first == r; ++note) {
      out += note_indent + note->second + "\n";
    }
  }
  return out;
}

}  // namespace cpc
