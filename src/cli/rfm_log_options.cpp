#include "rfm_log_options.hpp"

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/io/transactions_dates.hpp"

namespace cb::cli {
namespace {

using rfm_config::Json;

/// "a=1,b=x y" -> {"a": "1", "b": "x y"}: values are kept as text.
Json key_values(const std::string& text, const char* flag) {
  Json out = Json::object();
  std::size_t from = 0;
  while (from <= text.size()) {
    const auto comma = std::min(text.find(',', from), text.size());
    const std::string item = text.substr(from, comma - from);
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw InputError(fmt::format("{}: '{}' is not KEY=VALUE (items separated by commas)", flag, excerpt(item)));
    const std::string key = item.substr(0, eq);
    if (out.contains(key)) throw InputError(fmt::format("{}: key '{}' given twice", flag, excerpt(key)));
    out[key] = item.substr(eq + 1);
    from = comma + 1;
  }
  return out;
}

/// Cleaning values typed as the config's: true/false, and ';'-separated lists.
Json typed_cleaning(Json items) {
  for (auto& [key, value] : items.items()) {
    const auto text = value.get<std::string>();
    if (text == "true" || text == "false") {
      value = text == "true";
    } else if (key == "non_product_codes" || key == "excluded_countries") {
      Json list = Json::array();
      for (std::size_t from = 0; from <= text.size();) {
        const auto semi = std::min(text.find(';', from), text.size());
        list.push_back(text.substr(from, semi - from));
        from = semi + 1;
      }
      value = list;
    }
  }
  return items;
}

}  // namespace

rfm_config::TransactionsConfig parse_rfm_log_flags(const RfmLogFlags& flags) {
  Json spec = Json::object();
  if (!flags.columns.empty()) {
    spec["schema"] = key_values(flags.columns, "--columns");
    // A mapping on the command line is the whole mapping: optional columns it
    // does not name are absent from the export, not the Online Retail names.
    for (const char* optional : {"invoice", "quantity", "product", "country"})
      if (!spec["schema"].contains(optional)) spec["schema"][optional] = nullptr;
  }
  if (!flags.date_format.empty()) spec["schema"]["date_format"] = flags.date_format;
  if (!flags.delimiter.empty()) spec["schema"]["delimiter"] = flags.delimiter;
  if (flags.no_header) {
    if (flags.columns.empty())
      throw InputError("--no-header: give the columns by position, e.g. --columns customer=1,date=3,amount=5");
    spec["schema"]["header"] = false;
  }
  if (!flags.cleaning.empty()) spec["cleaning"] = typed_cleaning(key_values(flags.cleaning, "--cleaning"));
  if (!flags.since.empty()) spec["cleaning"]["since"] = flags.since;
  // The flags stand where a config file would: errors read "command line: dataset.schema: ...".
  auto config = rfm_config::parse_transactions_config(spec, "command line (--columns, --cleaning, ...)");
  if (!flags.until.empty()) config.cleaning.before = io::parse_day(flags.until, "--until") + 1;  // the last day kept
  return config;
}

}  // namespace cb::cli
