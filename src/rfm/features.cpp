#include "clusterbench/rfm/features.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::rfm {

Index feature_column(const std::string& name) {
  const auto& names = feature_columns();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw InputError(fmt::format("unknown customer feature '{}'", name));
  return static_cast<Index>(it - names.begin());
}

CustomerTable customer_features(const LogAggregate& aggregate, const FeatureOptions& options) {
  if (aggregate.customers.empty()) throw InputError(fmt::format("{}: no customer to describe", aggregate.source));
  const io::Day last_day = io::day_of(aggregate.last_time);
  CustomerTable table;
  table.snapshot = options.snapshot.value_or(last_day + 1);
  if (table.snapshot <= last_day)
    throw InputError(
        fmt::format("{}: snapshot {} is not after the last kept transaction ({}); cut the log at the "
                    "snapshot (cleaning.before)",
                    aggregate.source, io::format_day(table.snapshot), io::format_day(last_day)));
  const auto n = static_cast<Index>(aggregate.customers.size());
  Dataset& d = table.features;
  d.source = aggregate.source;
  d.columns = feature_columns();
  d.values.resize(n, static_cast<Index>(d.columns.size()));
  d.ids.reserve(aggregate.customers.size());
  table.country.reserve(aggregate.customers.size());
  for (Index i = 0; i < n; ++i) {
    const CustomerAggregate& c = aggregate.customers[static_cast<std::size_t>(i)];
    const double recency = table.snapshot - io::day_of(c.last_purchase);
    const double tenure = table.snapshot - io::day_of(c.first_purchase);
    const double frequency = static_cast<double>(c.invoices);
    d.values(i, 0) = recency;
    d.values(i, 1) = frequency;
    d.values(i, 2) = c.revenue;
    d.values(i, 3) = c.revenue / frequency;
    d.values(i, 4) = static_cast<double>(c.products);
    d.values(i, 5) = c.items;
    d.values(i, 6) = static_cast<double>(c.returns);
    d.values(i, 7) = c.returns_value;
    d.values(i, 8) = tenure;
    d.values(i, 9) = frequency * 30.0 / tenure;
    d.ids.push_back(c.id);
    table.country.push_back(c.country);
  }
  return table;
}

}  // namespace cb::rfm
