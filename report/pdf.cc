#include "report/pdf.h"

#include <fcntl.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"

namespace cpctrack::report {
namespace {

constexpr double kPageWidth = 595.276, kPageHeight = 841.89;  // A4 in points
constexpr double kMarginX = 48, kTop = 54, kBottom = 64;
constexpr double kBodySize = 8.5, kCellPad = 3;
constexpr char kFont[] = "Noto Sans CJK JP";

struct Rgb {
  double r, g, b;
};

Rgb ParseColor(const std::string& hex) {
  unsigned r = 0, g = 0, b = 0;
  if (hex.size() == 7) std::sscanf(hex.c_str() + 1, "%02x%02x%02x", &r, &g, &b);
  return {r / 255.0, g / 255.0, b / 255.0};
}

// Lays out and draws one document. Run twice: first to count the pages
// (drawing to a discarded surface), then with the count for "Page i of N".
class Pager {
 public:
  Pager(cairo_t* cr, const Document& doc, int total_pages)
      : cr_(cr), doc_(doc), total_(total_pages), context_(pango_cairo_create_context(cr)) {
    // Points, not pixels: a 9 pt font is 9 units on the PDF page.
    pango_cairo_context_set_resolution(context_, 72);
  }
  ~Pager() { g_object_unref(context_); }

  int Run() {
    StartPage();
    Text(doc_.title, 16, true, kMarginX, Width());
    y_ += Height(doc_.title, 16, true, Width()) + 2;
    if (!doc_.subtitle.empty()) {
      Text(doc_.subtitle, 10, false, kMarginX, Width());
      y_ += Height(doc_.subtitle, 10, false, Width()) + 4;
    }
    Rule(kMarginX, kPageWidth - kMarginX, y_, 1.2);
    y_ += 8;
    for (const Section& section : doc_.sections) DrawSection(section);
    FinishPage();
    return page_;
  }

 private:
  static double Width() { return kPageWidth - 2 * kMarginX; }

  PangoLayout* Layout(const std::string& text, double size, bool bold, double width) {
    PangoLayout* layout = pango_layout_new(context_);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFont);
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    if (bold) pango_font_description_set_weight(font, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    // Plain text: markup characters in user text are drawn, not interpreted.
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
    return layout;
  }

  double Height(const std::string& text, double size, bool bold, double width) {
    PangoLayout* layout = Layout(text, size, bold, width);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    g_object_unref(layout);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  double TextWidth(const std::string& text, double size, bool bold) {
    PangoLayout* layout = Layout(text, size, bold, -1);
    pango_layout_set_width(layout, -1);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    g_object_unref(layout);
    return static_cast<double>(w) / PANGO_SCALE;
  }

  void Text(const std::string& text, double size, bool bold, double x, double width,
            double y = -1, Rgb color = {0, 0, 0}) {
    PangoLayout* layout = Layout(text, size, bold, width);
    cairo_set_source_rgb(cr_, color.r, color.g, color.b);
    cairo_move_to(cr_, x, y < 0 ? y_ : y);
    pango_cairo_show_layout(cr_, layout);
    g_object_unref(layout);
  }

  void Rule(double x1, double x2, double y, double width, Rgb c = {0.2, 0.2, 0.2}) {
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x1, y);
    cairo_line_to(cr_, x2, y);
    cairo_stroke(cr_);
  }

  void StartPage() {
    ++page_;
    y_ = kTop;
    if (page_ > 1) {  // running header
      const std::string header = absl::StrCat(doc_.title, "  ·  ", doc_.subtitle);
      Text(header, 7.5, false, kMarginX, Width(), kTop - 24, {0.3, 0.3, 0.3});
      Rule(kMarginX, kPageWidth - kMarginX, kTop - 10, 0.5);
    }
  }

  void FinishPage() {
    const double foot_top = kPageHeight - kBottom + 12;
    Rule(kMarginX, kPageWidth - kMarginX, foot_top - 4, 0.5);
    const std::string number =
        total_ > 0 ? absl::StrCat("Page ", page_, " of ", total_) : absl::StrCat("Page ", page_);
    const double number_w = 70;
    double y = foot_top;
    for (const std::string& line : doc_.footer) {
      Text(line, 6.5, false, kMarginX, Width() - number_w, y, {0.2, 0.2, 0.2});
      y += Height(line, 6.5, false, Width() - number_w);
    }
    PangoLayout* layout = Layout(number, 8, true, number_w);
    pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    cairo_move_to(cr_, kPageWidth - kMarginX - number_w, foot_top);
    pango_cairo_show_layout(cr_, layout);
    g_object_unref(layout);
    cairo_show_page(cr_);
  }

  void NewPage() {
    FinishPage();
    StartPage();
  }

  double Bottom() const { return kPageHeight - kBottom; }

  // A new page unless `height` more fits on this one.
  void Need(double height) {
    if (y_ + height > Bottom() && y_ > kTop) NewPage();
  }

  void DrawSection(const Section& section) {
    // A title is never the last line of a page.
    Need(Height(section.title, 11, true, Width()) + 40);
    y_ += 6;
    Text(section.title, 11, true, kMarginX, Width(), -1, {0.07, 0.2, 0.45});
    y_ += Height(section.title, 11, true, Width()) + 1;
    Rule(kMarginX, kPageWidth - kMarginX, y_, 0.6, {0.07, 0.2, 0.45});
    y_ += 5;
    for (const Block& block : section.blocks) {
      std::visit(Overloaded{
                     [&](const Paragraph& p) { DrawParagraph(p); },
                     [&](const Fields& f) { DrawFields(f); },
                     [&](const Table& t) { DrawTable(t); },
                     [&](const ChartBlock& c) { DrawChart(c.chart); },
                 },
                 block);
      y_ += 5;
    }
  }

  void DrawParagraph(const Paragraph& p) {
    const double size = p.strong ? 11 : kBodySize;
    const double h = Height(p.text, size, p.strong, Width());
    Need(h);
    Text(p.text, size, p.strong, kMarginX, Width());
    y_ += h + 2;
  }

  void DrawFields(const Fields& f) {
    const double label_w = 150, value_w = Width() - label_w;
    for (const auto& [label, value] : f.rows) {
      const double h = std::max(Height(label, kBodySize, true, label_w - 6),
                                Height(value, kBodySize, false, value_w)) + 2;
      Need(h);
      Text(label, kBodySize, true, kMarginX, label_w - 6, -1, {0.25, 0.25, 0.25});
      Text(value, kBodySize, false, kMarginX + label_w, value_w);
      y_ += h;
    }
  }

  std::vector<double> Columns(const Table& t) {
    const size_t n = t.header.size();
    std::vector<double> w(n, 1.0);
    for (size_t i = 0; i < n && i < t.widths.size(); ++i) w[i] = t.widths[i];
    double sum = 0;
    for (double v : w) sum += v;
    for (double& v : w) v = v / sum * Width();
    return w;
  }

  double RowHeight(const std::vector<std::string>& cells, const std::vector<double>& cols,
                   bool bold) {
    double h = 0;
    for (size_t i = 0; i < cols.size(); ++i) {
      const std::string& text = i < cells.size() ? cells[i] : std::string();
      h = std::max(h, Height(text, kBodySize - 0.5, bold, cols[i] - 2 * kCellPad));
    }
    return h + 2 * kCellPad;
  }

  void DrawRow(const std::vector<std::string>& cells, const std::vector<double>& cols, bool header,
               double h) {
    double x = kMarginX;
    if (header) {
      cairo_set_source_rgb(cr_, 0.88, 0.91, 0.96);
      cairo_rectangle(cr_, kMarginX, y_, Width(), h);
      cairo_fill(cr_);
    }
    cairo_set_source_rgb(cr_, 0.55, 0.55, 0.55);
    cairo_set_line_width(cr_, 0.4);
    for (size_t i = 0; i < cols.size(); ++i) {
      cairo_rectangle(cr_, x, y_, cols[i], h);
      cairo_stroke(cr_);
      const std::string& text = i < cells.size() ? cells[i] : std::string();
      Text(text, kBodySize - 0.5, header, x + kCellPad, cols[i] - 2 * kCellPad, y_ + kCellPad);
      x += cols[i];
    }
    y_ += h;
  }

  void DrawTable(const Table& t) {
    if (t.rows.empty()) {
      DrawParagraph({t.empty_text});
      return;
    }
    const std::vector<double> cols = Columns(t);
    const double header_h = RowHeight(t.header, cols, true);
    Need(header_h + RowHeight(t.rows.front(), cols, false));
    DrawRow(t.header, cols, true, header_h);
    for (const auto& row : t.rows) {
      const double h = RowHeight(row, cols, false);
      if (y_ + h > Bottom()) {  // the header again on the next page
        NewPage();
        DrawRow(t.header, cols, true, header_h);
      }
      DrawRow(row, cols, false, h);
    }
  }

  // Colour, width and dashes (4 on, 3 off, as ChartSvg draws them).
  void Pen(const std::string& color, double width, bool dashed) {
    const Rgb c = ParseColor(color);
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_set_line_width(cr_, width);
    const double dash[] = {4, 3};
    cairo_set_dash(cr_, dash, dashed ? 2 : 0, 0);
  }

  void DrawChart(const Chart& chart) {
    const double height = 230;
    Need(height);
    const ChartDrawing d = LayoutChart(chart, Width(), height);
    const double ox = kMarginX, oy = y_;
    for (const ChartLine& l : d.lines) {
      Pen(l.color, l.width, l.dashed);
      cairo_move_to(cr_, ox + l.x1, oy + l.y1);
      cairo_line_to(cr_, ox + l.x2, oy + l.y2);
      cairo_stroke(cr_);
    }
    for (const ChartPolyline& p : d.polylines) {
      Pen(p.color, p.width, p.dashed);
      for (size_t i = 0; i < p.points.size(); ++i) {
        (i == 0 ? cairo_move_to : cairo_line_to)(cr_, ox + p.points[i].x, oy + p.points[i].y);
      }
      cairo_stroke(cr_);
      cairo_set_dash(cr_, nullptr, 0, 0);
      if (!p.markers) continue;
      for (const ChartPoint& pt : p.points) {
        cairo_arc(cr_, ox + pt.x, oy + pt.y, 2.2, 0, 6.2832);
        cairo_fill(cr_);
      }
    }
    cairo_set_dash(cr_, nullptr, 0, 0);
    for (const ChartText& t : d.texts) {
      // ChartText's y is a baseline; pango draws from the top of the line.
      const double w = TextWidth(t.text, t.size, t.bold);
      const double shift = t.anchor == TextAnchor::kStart    ? 0
                           : t.anchor == TextAnchor::kMiddle ? w / 2
                                                             : w;
      PangoLayout* layout = Layout(t.text, t.size, t.bold, -1);
      pango_layout_set_width(layout, -1);
      const double ascent =
          static_cast<double>(pango_layout_get_baseline(layout)) / PANGO_SCALE;
      const Rgb c = ParseColor(t.color);
      cairo_set_source_rgb(cr_, c.r, c.g, c.b);
      cairo_save(cr_);
      cairo_translate(cr_, ox + t.x, oy + t.y);
      if (t.vertical) cairo_rotate(cr_, -1.5707963);
      cairo_move_to(cr_, -shift, -ascent);
      pango_cairo_update_layout(cr_, layout);
      pango_cairo_show_layout(cr_, layout);
      cairo_restore(cr_);
      g_object_unref(layout);
    }
    y_ += height;
  }

  cairo_t* cr_;
  const Document& doc_;
  int total_;
  PangoContext* context_;
  int page_ = 0;
  double y_ = kTop;
};

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  if (closure != nullptr) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  }
  return CAIRO_STATUS_SUCCESS;
}

// Renders into `out` (nullptr: discarded); the number of pages.
absl::StatusOr<int> Render(const Document& doc, int total_pages, std::string* out) {
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(Append, out, kPageWidth, kPageHeight);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 absl::StrCat(doc.title, " ", doc.subtitle).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "cpctrack");
  cairo_t* cr = cairo_create(surface);
  int pages = 0;
  {
    Pager pager(cr, doc, total_pages);
    pages = pager.Run();
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat("PDF rendering failed: ", cairo_status_to_string(status)));
  }
  return pages;
}

}  // namespace

absl::StatusOr<std::string> RenderPdf(const Document& document) {
  absl::StatusOr<int> pages = Render(document, 0, nullptr);
  if (!pages.ok()) return pages.status();
  std::string out;
  absl::StatusOr<int> again = Render(document, *pages, &out);
  if (!again.ok()) return again.status();
  return out;
}

absl::Status WritePdf(const Document& document, const std::string& path) {
  absl::StatusOr<std::string> bytes = RenderPdf(document);
  if (!bytes.ok()) return bytes.status();
  const std::string tmp = path + ".tmp";
  {
    // A batch record is patient data: readable by its owner only, from the
    // moment the file exists (the rename keeps the mode).
    std::remove(tmp.c_str());
    const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return absl::UnavailableError(absl::StrCat("cannot write ", path));
    close(fd);
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    file.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    file.close();
    if (!file) {
      std::remove(tmp.c_str());
      return absl::UnavailableError(absl::StrCat("cannot write ", path));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace cpctrack::report
