#include "report/document.h"


namespace cpctrack::report {

const Section* FindSection(const Document& document, absl::string_view title) {
  for (const Section& section : document.sections) {
    if (section.title == title) return &section;
  }
  return nullptr;
}

std::vector<std::string> AllText(const Document& document) {
  std::vector<std::string> out = {document.title, document.subtitle};
  for (const Section& section : document.sections) {
    out.push_back(section.title);
    for (const Block& block : section.blocks) {
      std::visit(Overloaded{
                     [&](const Paragraph& p) { out.push_back(p.text); },
                     [&](const Fields& f) {
                       for (const auto& [label, value] : f.rows) {
                         out.push_back(label);
                         out.push_back(value);
                       }
                     },
                     [&](const Table& t) {
                       out.insert(out.end(), t.header.begin(), t.header.end());
                       for (const auto& row : t.rows) out.insert(out.end(), row.begin(), row.end());
                     },
                     [&](const ChartBlock& c) { out.push_back(c.chart.title); },
                 },
                 block);
    }
  }
  out.insert(out.end(), document.footer.begin(), document.footer.end());
  return out;
}

}  // namespace cpctrack::report
