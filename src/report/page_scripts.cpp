#include "page_scripts.hpp"

namespace cb::report::page {
namespace {

// Plain pointers, not string_views: a constexpr length of a megabyte-long line
// exceeds the compiler's constexpr loop limit.
const char* const kEcharts[] = {
#include "echarts_js.inc"
};
const char* const kReportScript[] = {
#include "report_js.inc"
};

template <std::size_t N>
std::string joined(const char* const (&lines)[N]) {
  std::string out;
  for (const char* line : lines) out += line;
  return out;
}

constexpr const char* kStyle = R"(<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1180px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; vertical-align: top; }
th { background: #f4f4f4; } td.text, th.text { text-align: left; }
td.params { min-width: 120px; max-width: 260px; white-space: normal; overflow-wrap: anywhere; }
td.params code { white-space: normal; }
td.agreement { min-width: 280px; }
code, pre { font: 12px ui-monospace, monospace; } pre { background: #f8f8f8; padding: 8px; overflow-x: auto; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts > table { align-self: flex-start; }
.chart { width: 560px; height: 320px; border: 1px solid #eee; }
.chart.scatter { width: 560px; height: 460px; }
.chart.wide { width: 1140px; height: 560px; }
.note { color: #666; font-size: 12px; }
.sizebar { display: inline-flex; width: 120px; height: 10px; background: #eee; vertical-align: middle; margin-right: 6px; }
.sizebar i { display: block; height: 100%; border-right: 1px solid #fff; box-sizing: border-box; }
#cb-errors { color: #b00; background: #fee; }
</style>)";

// Runs before anything else: every script error (ECharts' included) is listed in
// #cb-errors, where a reader and the browser test see it.
constexpr const char* kErrorCatcher = R"(<script>
window.cbReportErrors = [];
window.cbReportError = function (message) {
  window.cbReportErrors.push(String(message));
  var box = document.getElementById('cb-errors');
  if (box) { box.hidden = false; box.textContent = window.cbReportErrors.join('\n'); }
};
window.addEventListener('error', function (e) { window.cbReportError('error: ' + e.message); });
window.addEventListener('unhandledrejection', function (e) { window.cbReportError('unhandled rejection: ' + e.reason); });
</script>)";

}  // namespace

const char* echarts_version() { return CB_ECHARTS_VERSION; }

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

std::string json_for_script(const nlohmann::ordered_json& data) {
  const std::string text = data.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + text.size() / 50);
  for (const char c : text) {  // these occur only inside JSON strings, where \uXXXX means the same
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

std::string head(const std::string& title, const std::string& extra_style) {
  static const std::string echarts = "<script>" + joined(kEcharts) + "</script>";
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>" + escape(title) + "</title>" +
         kStyle + extra_style + kErrorCatcher + echarts + "</head><body><pre id=\"cb-errors\" hidden></pre>";
}

std::string tail(const nlohmann::ordered_json& data) {
  static const std::string script = "<script>" + joined(kReportScript) + "</script>";
  return "<script type=\"application/json\" id=\"cb-data\">" + json_for_script(data) + "</script>" + script +
         "</body></html>\n";
}

std::string chart_container(const std::string& id, const std::string& extra_class) {
  std::string out = "<div class=\"chart";  // appended piece by piece: GCC 12 warns (-Wrestrict) on "literal" + string
  if (!extra_class.empty()) out.append(" ").append(escape(extra_class));
  return out.append("\" id=\"").append(escape(id)).append("\"></div>");
}

}  // namespace cb::report::page
