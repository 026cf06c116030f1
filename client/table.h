#ifndef CPCTRACK_CLIENT_TABLE_H_
#define CPCTRACK_CLIENT_TABLE_H_

#include <string>
#include <vector>

namespace cpc {

// A plain-text table for people: upper-case headers, columns separated by two
// spaces, numbers right-aligned when asked, no trailing blanks.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Right-aligns column `column` (numbers line up on their last digit).
  void AlignRight(size_t column);
  // REQUIRES: cells.size() == number of headers.
  void AddRow(std::vector<std::string> cells);
  // A free line under the last row, indented to the second column; it does
  // not widen any column (e.g. "corrected by #12" under a record).
  void AddNote(std::string note);
  bool empty() const { return rows_.empty(); }

  // With `indent` spaces before every line.
  std::string Render(size_t indent = 0) const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
  // Notes printed after row i, keyed by i.
  std::vector<std::pair<size_t, std::string>> notes_;
};

}  // namespace cpc

#endif  // CPCTRACK_CLIENT_TABLE_H_
