// The document model every printed record is built into before it is drawn:
// plain data, so what a document says is unit-tested without cairo. Every
// string is plain text (never markup): the renderer draws it as it is, so a
// patient ID or a note holding "<script>" or "<b>" prints as those characters.
#ifndef CPCTRACK_REPORT_DOCUMENT_H_
#define CPCTRACK_REPORT_DOCUMENT_H_

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"
#include "report/chart.h"

namespace cpctrack::report {

struct Paragraph {
  std::string text;
  bool strong = false;  // bold, e.g. "FOR AUTOLOGOUS USE ONLY"
};

// Label / value rows, e.g. the batch's identity.
struct Fields {
  std::vector<std::pair<std::string, std::string>> rows;
};

struct Table {
  std::vector<std::string> header;
  // Relative column widths; empty: equal.
  std::vector<double> widths;
  std::vector<std::vector<std::string>> rows;
  // Printed instead of an empty table.
  std::string empty_text = "None.";
};

struct ChartBlock {
  Chart chart;
};

using Block = std::variant<Paragraph, Fields, Table, ChartBlock>;

struct Section {
  std::string title;
  std::vector<Block> blocks;
};

struct Document {
  std::string title;
  // Under the title on the first page, and in every page's running header.
  std::string subtitle;
  std::vector<Section> sections;
  // Printed at the foot of every page, beside "Page i of N".
  std::vector<std::string> footer;
};

// Overloaded{lambdas...}: one visitor for std::visit over Block.
template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// The section titled `title`, or nullptr.
const Section* FindSection(const Document& document, absl::string_view title);

// Every string of the document (titles, cells, fields, paragraphs, footer),
// in order: what a reader would find by searching the printout.
std::vector<std::string> AllText(const Document& document);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_DOCUMENT_H_
