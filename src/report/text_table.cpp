#include "text_table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace cb::report::text {

std::string number(double v) {
  if (std::isnan(v)) return "";
  if (std::abs(v) >= 1e5 || (v != 0 && std::abs(v) < 1e-3)) return fmt::format("{:.4g}", v);
  return fmt::format("{:.4f}", v);
}

std::string csv_quote(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string render(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& cells,
                   Format format, const std::vector<bool>& left) {
  std::string out;
  switch (format) {
    case Format::csv: {
      auto line = [](const std::vector<std::string>& fields) {
        std::vector<std::string> quoted;
        for (const auto& f : fields) quoted.push_back(csv_quote(f));
        return fmt::format("{}\n", fmt::join(quoted, ","));
      };
      out += line(header);
      for (const auto& row : cells) out += line(row);
      break;
    }
    case Format::markdown: {
      out += fmt::format("| {} |\n", fmt::join(header, " | "));
      std::vector<std::string> rule(header.size(), "---");
      out += fmt::format("|{}|\n", fmt::join(rule, "|"));
      for (const auto& row : cells) out += fmt::format("| {} |\n", fmt::join(row, " | "));
      break;
    }
    case Format::table:
    case Format::json: {
      std::vector<std::size_t> width(header.size());
      for (std::size_t c = 0; c < header.size(); ++c) {
        width[c] = header[c].size();
        for (const auto& row : cells) width[c] = std::max(width[c], row[c].size());
      }
      auto line = [&](const std::vector<std::string>& fields) {
        std::string text;
        for (std::size_t c = 0; c < fields.size(); ++c) {
          const bool to_left = c < left.size() && left[c];
          text += to_left ? fmt::format("{:<{}}", fields[c], width[c]) : fmt::format("{:>{}}", fields[c], width[c]);
          if (c + 1 < fields.size()) text += "  ";
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        return text + "\n";
      };
      out += line(header);
      for (const auto& row : cells) out += line(row);
      break;
    }
  }
  return out;
}

}  // namespace cb::report::text
