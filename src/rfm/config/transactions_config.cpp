#include "clusterbench/rfm/config/transactions_config.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/core/suggest.hpp"
#include "clusterbench/io/transactions_dates.hpp"
#include "clusterbench/rfm/features.hpp"

namespace cb::rfm_config {
namespace {

struct Reader {
  const std::string& path;

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw ConfigError(fmt::format("{}: dataset.{}: {}", path, key, problem));
  }
  void only_keys(const Json& obj, const std::string& where, const std::vector<std::string>& allowed) const {
    if (!obj.is_object()) fail(where, "expected a mapping");
    for (const auto& [key, value] : obj.items())
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(where + "." + key,
             fmt::format("unknown key{} (allowed: {})", did_you_mean(key, allowed), fmt::join(allowed, ", ")));
  }
  void text(const Json& obj, const char* key, const std::string& where, std::string& out) const {
    if (!obj.contains(key)) return;
    const auto& v = obj.at(key);
    if (v.is_null()) out.clear();
    else if (v.is_string()) out = v.get<std::string>();
    else if (v.is_number_integer()) out = std::to_string(v.get<long long>());  // a position (header: false)
    else fail(where + "." + key, "expected a column name or position (or null for none)");
  }
  void flag(const Json& obj, const char* key, const std::string& where, bool& out) const {
    if (!obj.contains(key)) return;
    if (!obj.at(key).is_boolean()) fail(where + "." + key, "expected true or false");
    out = obj.at(key).get<bool>();
  }
  std::vector<std::string> names(const Json& v, const std::string& where) const {
    if (v.is_string()) return {v.get<std::string>()};
    if (!v.is_array()) fail(where, "expected a list of names");
    std::vector<std::string> out;
    for (const auto& item : v) {
      if (!item.is_string() && !item.is_number()) fail(where, "expected a list of names");
      out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    }
    return out;
  }
};

}  // namespace

TransactionsConfig parse_transactions_config(const Json& spec, const std::string& config_path) {
  const Reader r{config_path};
  TransactionsConfig out;
  if (spec.contains("schema")) {
    const auto& s = spec.at("schema");
    r.only_keys(s, "schema",
                {"customer", "date", "date_format", "invoice", "quantity", "price", "amount", "product", "country",
                 "delimiter", "header"});
    r.text(s, "customer", "schema", out.schema.customer_column);
    r.text(s, "date", "schema", out.schema.date_column);
    r.text(s, "date_format", "schema", out.schema.date_format);
    r.text(s, "invoice", "schema", out.schema.invoice_column);
    r.text(s, "quantity", "schema", out.schema.quantity_column);
    r.text(s, "price", "schema", out.schema.price_column);
    r.text(s, "amount", "schema", out.schema.amount_column);
    r.text(s, "product", "schema", out.schema.product_column);
    r.text(s, "country", "schema", out.schema.country_column);
    std::string delimiter(1, out.schema.delimiter);
    r.text(s, "delimiter", "schema", delimiter);
    if (delimiter == "whitespace") {
      out.schema.whitespace_delimited = true;  // runs of spaces and tabs, as in fixed-width exports
    } else if (delimiter.size() == 1) {
      out.schema.delimiter = delimiter[0];
    } else {
      r.fail("schema.delimiter", "must be exactly one character, or whitespace (runs of spaces and tabs)");
    }
    r.flag(s, "header", "schema", out.schema.header);
    if (out.schema.customer_column.empty()) r.fail("schema.customer", "a customer id column is required");
    if (out.schema.date_column.empty()) r.fail("schema.date", "a date column is required");
    if (!out.schema.header) {
      // Without a header line a column is its position, counted from 1.
      const bool has_amount = !out.schema.amount_column.empty();
      for (const auto& [key, column] : {std::pair{"customer", &out.schema.customer_column},
                                        {"date", &out.schema.date_column},
                                        {"invoice", &out.schema.invoice_column},
                                        {"quantity", &out.schema.quantity_column},
                                        {"price", &out.schema.price_column},
                                        {"amount", &out.schema.amount_column},
                                        {"product", &out.schema.product_column},
                                        {"country", &out.schema.country_column}}) {
        if (column->empty() || (has_amount && std::string(key) == "price"))
          continue;  // price is unused beside an amount
        if (column->find_first_not_of("0123456789") != std::string::npos || column->front() == '0')
          r.fail(std::string("schema.") + key,
                 fmt::format("with header: false, columns are positions 1, 2, ... (or null for none); got '{}'",
                             excerpt(*column)));
      }
    }
  }
  if (spec.contains("cleaning")) {
    const auto& c = spec.at("cleaning");
    r.only_keys(c, "cleaning",
                {"missing_customer", "cancellations", "cancellation_prefix", "non_positive_quantity",
                 "non_positive_price", "duplicates", "non_product_codes", "excluded_countries", "since"});
    r.flag(c, "missing_customer", "cleaning", out.cleaning.drop_missing_customer);
    r.flag(c, "cancellations", "cleaning", out.cleaning.drop_cancellations);
    r.text(c, "cancellation_prefix", "cleaning", out.cleaning.cancellation_prefix);
    r.flag(c, "non_positive_quantity", "cleaning", out.cleaning.drop_non_positive_quantity);
    r.flag(c, "non_positive_price", "cleaning", out.cleaning.drop_non_positive_price);
    r.flag(c, "duplicates", "cleaning", out.cleaning.drop_duplicates);
    // A list switches the rule on with those values; true/false toggles the default list.
    for (const auto& [key, enabled, list] :
         {std::tuple{"non_product_codes", &out.cleaning.drop_non_product_codes, &out.cleaning.non_product_codes},
          std::tuple{"excluded_countries", &out.cleaning.drop_excluded_countries, &out.cleaning.excluded_countries}}) {
      if (!c.contains(key)) continue;
      const auto& v = c.at(key);
      if (v.is_boolean()) {
        *enabled = v.get<bool>();
      } else {
        *list = r.names(v, std::string("cleaning.") + key);
        *enabled = true;
      }
    }
    if (c.contains("since")) {
      if (!c.at("since").is_string()) r.fail("cleaning.since", "expected a date YYYY-MM-DD");
      try {
        out.cleaning.since = io::parse_day(c.at("since").get<std::string>(), "dataset.cleaning.since");
      } catch (const InputError& e) {
        r.fail("cleaning.since", e.what());
      }
    }
  }
  if (spec.contains("snapshot")) {
    const auto& v = spec.at("snapshot");
    if (!v.is_string()) r.fail("snapshot", "expected a date YYYY-MM-DD");
    try {
      out.snapshot = io::parse_day(v.get<std::string>(), "dataset.snapshot");
    } catch (const InputError& e) {
      r.fail("snapshot", e.what());
    }
  }
  if (spec.contains("features")) {
    out.features = r.names(spec.at("features"), "features");
    const auto& known = rfm::feature_columns();
    for (const auto& f : out.features)
      if (std::find(known.begin(), known.end(), f) == known.end())
        r.fail("features", fmt::format("unknown feature '{}'{} (available: {})", f, did_you_mean(f, known),
                                       fmt::join(known, ", ")));
    if (out.features.empty()) r.fail("features", "choose at least one feature");
  }
  if (spec.contains("segments")) {
    const auto& v = spec.at("segments");
    if (!v.is_string() || v.get<std::string>().empty())
      r.fail("segments", "expected a preset name (standard11, rfm_r, rf_grid, r_fm6) or a YAML file");
    out.segments = v.get<std::string>();
  }
  if (spec.contains("scoring")) {
    const auto& s = spec.at("scoring");
    r.only_keys(s, "scoring", {"bins", "ties"});
    if (s.contains("bins")) {
      if (!s.at("bins").is_number_integer() || s.at("bins").get<int>() < 2 || s.at("bins").get<int>() > 9)
        r.fail("scoring.bins", "expected a whole number from 2 to 9");
      out.scoring.bins = s.at("bins").get<int>();
    }
    if (s.contains("ties")) {
      if (!s.at("ties").is_string()) r.fail("scoring.ties", "expected cut_le, rank_first, r_rfm or ntile");
      try {
        out.scoring.ties = rfm::parse_tie_policy(s.at("ties").get<std::string>());
      } catch (const ConfigError& e) {
        r.fail("scoring.ties", e.what());
      }
    }
  }
  return out;
}

}  // namespace cb::rfm_config
