#pragma once
// Cleaning rules applied to a transaction log before customer features are
// built, and the report of what each rule removed. Rules run in a fixed order
// (the order that reproduces the published Online Retail counts, docs/rfm.md):
//   outside_window, missing_customer, cancellation, non_positive_quantity,
//   non_positive_price, duplicate, non_product_code, excluded_country.
// A row is removed by the first enabled rule it fails.
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "clusterbench/core/enum_names.hpp"
#include "clusterbench/io/transactions_dates.hpp"

namespace cb::rfm {

/// The rules, in the order they are applied.
enum class Rule : int {
  outside_window = 0,
  missing_customer,
  cancellation,
  non_positive_quantity,
  non_positive_price,
  duplicate,
  non_product_code,
  excluded_country,
};
inline constexpr int kRuleCount = 8;
/// Names of the rules as used in reports and configs, in application order.
inline constexpr EnumName<Rule> kRuleNames[] = {{"outside_window", Rule::outside_window},
                                                {"missing_customer", Rule::missing_customer},
                                                {"cancellation", Rule::cancellation},
                                                {"non_positive_quantity", Rule::non_positive_quantity},
                                                {"non_positive_price", Rule::non_positive_price},
                                                {"duplicate", Rule::duplicate},
                                                {"non_product_code", Rule::non_product_code},
                                                {"excluded_country", Rule::excluded_country}};
static_assert(std::size(kRuleNames) == kRuleCount);
/// Name of a rule as used in reports and configs ("missing_customer", ...).
inline std::string_view rule_name(Rule rule) { return name_of(kRuleNames, rule); }

struct CleaningOptions {
  bool drop_missing_customer = true;  ///< drop rows without a customer id (off: they form customer "(missing)")
  bool drop_cancellations = true;  ///< drop rows whose invoice starts with cancellation_prefix (kept aside as returns)
  std::string cancellation_prefix = "C";   ///< invoice prefix of a cancellation
  bool drop_non_positive_quantity = true;  ///< drop rows with quantity <= 0 (kept aside as returns)
  bool drop_non_positive_price = true;     ///< drop rows with unit price <= 0
  bool drop_duplicates = true;             ///< drop exact duplicate rows (same raw text), keeping the first
  bool drop_non_product_codes = false;     ///< drop rows whose product code is in non_product_codes
  std::vector<std::string> non_product_codes = {
      "POST",         "D",         "C2",   "DOT",  "M",          "m", "S", "B",
      "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "gift_0001_*"};  ///< exact codes; a trailing '*' matches a prefix
  bool drop_excluded_countries = false;                           ///< drop rows whose country is in excluded_countries
  std::vector<std::string> excluded_countries = {"Unspecified"};  ///< exact country names
  std::optional<io::Day> since;   ///< keep only rows on or after this day (unset = no lower bound)
  std::optional<io::Day> before;  ///< keep only rows before this day, e.g. the snapshot (unset = no upper bound)
};

/// What one rule did. Customers are counted as "still having at least one row".
struct CleaningStep {
  std::string rule;                   ///< rule_name()
  bool enabled = false;               ///< whether the rule was on
  std::size_t rows_removed = 0;       ///< rows this rule removed
  std::size_t rows_after = 0;         ///< rows left after this rule
  std::size_t customers_removed = 0;  ///< customers whose last rows this rule removed
  std::size_t customers_after = 0;    ///< customers with at least one row left after this rule
};

struct CleaningReport {
  std::size_t rows_read = 0;         ///< data rows in the log
  std::size_t customers_in_log = 0;  ///< distinct non-empty customer ids in the log
  std::vector<CleaningStep> steps;   ///< one per rule, in application order
  std::size_t rows_kept = 0;         ///< rows that build the features
  std::size_t customers_kept = 0;    ///< customers with at least one kept row
  std::size_t return_rows = 0;       ///< rows removed as cancellations or non-positive quantity (with a customer id)
};

}  // namespace cb::rfm
