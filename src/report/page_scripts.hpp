#pragma once
// Internal: what every HTML page of the report carries inline, so it opens
// offline as one file: the vendored Apache ECharts bundle (third_party/echarts)
// and the report's page script (js/report.js), both compiled in at build time,
// and the helpers that put text and data into a page safely.
#include <string>

#include <nlohmann/json.hpp>

namespace cb::report::page {

/// The vendored ECharts version, e.g. "6.1.0".
const char* echarts_version();

/// The opening of a page: doctype, head (title, style, an error catcher that lists
/// script errors in #cb-errors, ECharts), and `<body>`. `title` is plain text.
std::string head(const std::string& title, const std::string& extra_style = "");

/// The closing of a page: `data` as JSON in `<script type="application/json"
/// id="cb-data">` (every `<`, `>` and `&` written as \u003c, \u003e, \u0026, so no
/// string can end the element), then the page script that draws data["charts"]
/// into their containers, then `</body></html>`.
std::string tail(const nlohmann::ordered_json& data);

/// A chart container the page script fills: `<div class="chart" id="ID"></div>`.
std::string chart_container(const std::string& id, const std::string& extra_class = "");

/// Escapes &, <, >, " and ' for HTML text and attributes.
std::string escape(const std::string& text);

/// JSON text safe inside a `<script>` element (see tail); invalid UTF-8 becomes U+FFFD.
std::string json_for_script(const nlohmann::ordered_json& data);

}  // namespace cb::report::page
