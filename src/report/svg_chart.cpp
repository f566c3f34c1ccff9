#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace cb::report::svg {
namespace {

constexpr int kLeft = 56, kTop = 28, kBottom = 42;
constexpr int kRight = 12;         // scatter: no legend
constexpr int kLegendWidth = 150;  // line chart: legend right of the frame

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return !(lo <= hi); }
};

/// Tick step of 1, 2 or 5 × 10^e giving about `count` ticks over the span.
double nice_step(double span, int count) {
  if (!(span > 0)) return 1.0;
  const double raw = span / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10.0 * magnitude;
}

/// Widens a range to whole tick steps (and a flat range to something visible).
Range padded(Range r, double step) {
  if (r.empty()) return Range{0.0, 1.0};
  if (r.hi == r.lo) {
    r.lo -= 0.5 * std::max(1.0, std::abs(r.lo));
    r.hi += 0.5 * std::max(1.0, std::abs(r.hi));
  }
  return Range{std::floor(r.lo / step) * step, std::ceil(r.hi / step) * step};
}

std::string format_tick(double v, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step)));
  return fmt::format("{:.{}f}", std::abs(v) < step * 1e-9 ? 0.0 : v, decimals);
}

/// Frame, grid lines, tick labels and axis labels; returns the plot area mapping.
struct Frame {
  int width, height;
  Range x, y;
  int right = kRight;  ///< margin right of the plot area
  double sx(double v) const { return kLeft + (v - x.lo) / (x.hi - x.lo) * (width - kLeft - right); }
  double sy(double v) const { return height - kBottom - (v - y.lo) / (y.hi - y.lo) * (height - kTop - kBottom); }
};

std::string axes(const Frame& f, double x_step, double y_step, const std::string& title, const std::string& x_label,
                 const std::string& y_label, bool show_ticks) {
  std::string out = fmt::format(R"(<text x="{}" y="16" font-size="13" font-weight="600" fill="#222">{}</text>)", kLeft, escape(title));
  if (show_ticks) {
    for (double v = f.y.lo; v <= f.y.hi + y_step * 1e-9; v += y_step)
      out += fmt::format(R"(<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#e6e6e6"/><text x="{}" y="{:.1f}" font-size="10" fill="#444" text-anchor="end">{}</text>)",
                         kLeft, f.width - f.right, f.sy(v), f.sy(v), kLeft - 4, f.sy(v) + 4, format_tick(v, y_step));
    for (double v = f.x.lo; v <= f.x.hi + x_step * 1e-9; v += x_step)
      out += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="10" fill="#444" text-anchor="middle">{}</text>)", f.sx(v),
                         f.height - kBottom + 14, format_tick(v, x_step));
  }
  out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#999"/>)", kLeft, kTop,
                     f.width - kLeft - f.right, f.height - kTop - kBottom);
  out += fmt::format(R"(<text x="{}" y="{}" font-size="11" fill="#222" text-anchor="middle">{}</text>)",
                     (kLeft + f.width - f.right) / 2, f.height - 8, escape(x_label));
  out += fmt::format(R"~(<text x="14" y="{}" font-size="11" fill="#222" text-anchor="middle" transform="rotate(-90 14 {})">{}</text>)~",
                     (kTop + f.height - kBottom) / 2, (kTop + f.height - kBottom) / 2, escape(y_label));
  return out;
}

std::string open_svg(int width, int height) {
  return fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}">)", width,
                     height, width, height);
}

}  // namespace

std::string palette(std::size_t index) {
  static const char* kColours[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                                   "#F0E442", "#000000", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF"};
  return kColours[index % (sizeof(kColours) / sizeof(kColours[0]))];
}

std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render(const LineChart& chart, int width, int height) {
  Range xr, yr;
  for (const auto& s : chart.series) {
    for (const double v : s.x) xr.add(v);
    for (const double v : s.y) yr.add(v);
  }
  const double x_step = chart.integer_x ? std::max(1.0, nice_step(xr.hi - xr.lo, 8)) : nice_step(xr.hi - xr.lo, 6);
  const double y_step = nice_step(yr.empty() ? 1.0 : yr.hi - yr.lo, 5);
  const Frame f{width, height, chart.integer_x && !xr.empty() ? xr : padded(xr, x_step), padded(yr, y_step),
                kLegendWidth};
  std::string out = open_svg(width, height) + axes(f, x_step, y_step, chart.title, chart.x_label, chart.y_label, true);
  for (const auto& s : chart.series) {
    std::string path;
    bool pen_down = false;
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) {
        pen_down = false;
        continue;
      }
      path += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", f.sx(s.x[i]), f.sy(s.y[i]));
      pen_down = true;
      out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="2.5" fill="{}"><title>{} k={} {:.4f}</title></circle>)",
                         f.sx(s.x[i]), f.sy(s.y[i]), s.colour, escape(s.name), s.x[i], s.y[i]);
    }
    if (!path.empty())
      out += fmt::format(R"(<path d="{}" fill="none" stroke="{}" stroke-width="1.6"{}/>)", path, s.colour,
                         s.dashed ? R"( stroke-dasharray="5 3")" : "");
  }
  // Legend, right of the frame.
  int row = 0;
  for (const auto& s : chart.series) {
    const int y = kTop + 8 + 14 * row++;
    out += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="2"{}/><text x="{}" y="{}" font-size="10" fill="#444">{}</text>)",
                       width - kLegendWidth + 10, width - kLegendWidth + 30, y - 4, y - 4, s.colour,
                       s.dashed ? R"( stroke-dasharray="5 3")" : "", width - kLegendWidth + 34, y, escape(s.name));
  }
  return out + "</svg>";
}

std::string render(const Scatter& chart, int width, int height) {
  Range xr, yr;
  for (const double v : chart.x) xr.add(v);
  for (const double v : chart.y) yr.add(v);
  const double x_step = nice_step(xr.empty() ? 1.0 : xr.hi - xr.lo, 6);
  const double y_step = nice_step(yr.empty() ? 1.0 : yr.hi - yr.lo, 5);
  const Frame f{width, height, padded(xr, x_step), padded(yr, y_step)};
  std::string out = open_svg(width, height) + axes(f, x_step, y_step, chart.title, "dimension 1", "dimension 2", true);
  // Noise first, so clusters are drawn on top of it.
  for (const bool noise_pass : {true, false})
    for (std::size_t i = 0; i < chart.x.size(); ++i) {
      const int g = i < chart.group.size() ? chart.group[i] : 0;
      if ((g < 0) != noise_pass || !std::isfinite(chart.x[i]) || !std::isfinite(chart.y[i])) continue;
      out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="1.6" fill="{}"/>)", f.sx(chart.x[i]), f.sy(chart.y[i]),
                         g < 0 ? "#bbbbbb" : palette(static_cast<std::size_t>(g)));
    }
  return out + "</svg>";
}

}  // namespace cb::report::svg
