#include "cleaning_store.hpp"

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "h5_handles.hpp"

namespace cb::store {
namespace {

// Counts are stored as float64 columns (pandas-friendly, exact below 2^53).
std::vector<double> column(const rfm::CleaningReport& report, std::size_t rfm::CleaningStep::*field) {
  std::vector<double> values;
  for (const auto& step : report.steps) values.push_back(static_cast<double>(step.*field));
  return values;
}

std::size_t count_attr(hid_t group, const char* name) {
  const double value = h5::read_double_attr(group, name);
  if (!(value >= 0)) throw InputError(fmt::format("/cleaning: attribute {} is {}, expected a count", name, value));
  return static_cast<std::size_t>(value);
}

}  // namespace

void write_cleaning(hid_t file, const rfm::CleaningReport& report) {
  auto group = h5::create_group(file, "cleaning");
  std::vector<std::string> rules;
  std::vector<int> enabled;
  for (const auto& step : report.steps) {
    rules.push_back(step.rule);
    enabled.push_back(step.enabled);
  }
  h5::write_strings(group, "rule", rules);
  h5::write_ints(group, "enabled", enabled);
  h5::write_doubles(group, "rows_removed", column(report, &rfm::CleaningStep::rows_removed));
  h5::write_doubles(group, "rows_after", column(report, &rfm::CleaningStep::rows_after));
  h5::write_doubles(group, "customers_removed", column(report, &rfm::CleaningStep::customers_removed));
  h5::write_doubles(group, "customers_after", column(report, &rfm::CleaningStep::customers_after));
  h5::write_attr(group, "rows_read", static_cast<long long>(report.rows_read));
  h5::write_attr(group, "customers_in_log", static_cast<long long>(report.customers_in_log));
  h5::write_attr(group, "rows_kept", static_cast<long long>(report.rows_kept));
  h5::write_attr(group, "customers_kept", static_cast<long long>(report.customers_kept));
  h5::write_attr(group, "return_rows", static_cast<long long>(report.return_rows));
}

std::optional<rfm::CleaningReport> read_cleaning(hid_t file) {
  if (!h5::exists(file, "cleaning")) return std::nullopt;
  auto group = h5::open_group(file, "cleaning");
  const auto rules = h5::read_strings(group, "rule");
  const auto enabled = h5::read_integers(group, "enabled");
  const auto rows_removed = h5::read_doubles(group, "rows_removed");
  const auto rows_after = h5::read_doubles(group, "rows_after");
  const auto customers_removed = h5::read_doubles(group, "customers_removed");
  const auto customers_after = h5::read_doubles(group, "customers_after");
  for (const std::size_t size :
       {enabled.size(), rows_removed.size(), rows_after.size(), customers_removed.size(), customers_after.size()})
    if (size != rules.size())
      throw InputError(fmt::format("/cleaning: columns of {} and {} rows, expected one length", rules.size(), size));
  rfm::CleaningReport report;
  for (std::size_t i = 0; i < rules.size(); ++i)
    report.steps.push_back({.rule = rules[i],
                            .enabled = enabled[i] != 0,
                            .rows_removed = static_cast<std::size_t>(rows_removed[i]),
                            .rows_after = static_cast<std::size_t>(rows_after[i]),
                            .customers_removed = static_cast<std::size_t>(customers_removed[i]),
                            .customers_after = static_cast<std::size_t>(customers_after[i])});
  report.rows_read = count_attr(group, "rows_read");
  report.rows_kept = count_attr(group, "rows_kept");
  report.customers_kept = count_attr(group, "customers_kept");
  if (h5::has_attr(group, "customers_in_log")) report.customers_in_log = count_attr(group, "customers_in_log");
  if (h5::has_attr(group, "return_rows")) report.return_rows = count_attr(group, "return_rows");
  return report;
}

}  // namespace cb::store
