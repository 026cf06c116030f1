// Draws a Document as an A4 PDF with cairo's PDF surface and pango for text,
// in the packaged Noto Sans CJK JP font, so Japanese prints as well as
// English. Text is laid out as plain text (never pango markup). Every page has
// a running header, the document's footer lines and "Page i of N".
#ifndef CPCTRACK_REPORT_PDF_H_
#define CPCTRACK_REPORT_PDF_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "report/document.h"

namespace cpctrack::report {

// The PDF file's bytes (for a web download).
absl::StatusOr<std::string> RenderPdf(const Document& document);

// Writes the PDF to `path` (replaced whole: written beside it, then renamed).
absl::Status WritePdf(const Document& document, const std::string& path);

}  // namespace cpctrack::report

#endif  // CPCTRACK_REPORT_PDF_H_
