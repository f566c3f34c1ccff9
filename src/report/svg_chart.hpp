#pragma once
// Internal: small, dependency-free SVG charts for the HTML report (line chart
// of scores over k, scatter of a 2-D embedding). Output is self-contained
// markup, so a report opens offline and can be mailed as one file.
#include <string>
#include <vector>

namespace cb::report::svg {

/// A colour per series or cluster; cycles after the palette (colour-blind safe first eight).
std::string palette(std::size_t index);

struct Series {
  std::string name;
  std::string colour;
  bool dashed = false;
  std::vector<double> x, y;   ///< points in order of x; non-finite y breaks the line
};

struct LineChart {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  bool integer_x = true;      ///< ticks on whole numbers (k)
};

struct Scatter {
  std::string title;
  std::vector<double> x, y;
  std::vector<int> group;     ///< colour index per point; -1 draws grey (noise)
};

std::string render(const LineChart& chart, int width = 560, int height = 300);
std::string render(const Scatter& chart, int width = 460, int height = 360);

/// Escapes &, <, >, " and ' for HTML text and attributes.
std::string escape(const std::string& text);

}  // namespace cb::report::svg
