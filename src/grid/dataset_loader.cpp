#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/run_profiles.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/rfm/config/transactions_config.hpp"
#include "clusterbench/rfm/features.hpp"

namespace cb::grid {
namespace {

Dataset columns_of(const Dataset& table, const std::vector<std::string>& names) {
  Dataset data;
  data.source = table.source;
  data.ids = table.ids;
  data.values.resize(table.rows(), static_cast<Index>(names.size()));
  for (std::size_t c = 0; c < names.size(); ++c)
    data.values.col(static_cast<Index>(c)) = table.values.col(rfm::feature_column(names[c]));
  data.columns = names;
  return data;
}

/// Customer features at the snapshot, built from the raw log, restricted to the
/// chosen features; plus every customer's recency, frequency, monetary and segment.
LoadedData load_transactions_dataset(const GridConfig& config, const Executor& executor) {
  const auto spec = rfm_config::parse_transactions_config(config.dataset.transactions, config.path);
  const auto segment_table = rfm_config::load_segment_preset(spec.segments);  // before the long read
  auto cleaning = spec.cleaning;
  if (spec.snapshot) cleaning.before = spec.snapshot;
  const auto aggregate = rfm::read_and_aggregate(config.dataset.path, spec.schema, cleaning, executor);
  rfm::FeatureOptions features;
  features.snapshot = spec.snapshot;
  auto table = rfm::customer_features(aggregate, features);
  table.features.source = config.dataset.path;
  LoadedData out;
  out.data = columns_of(table.features, spec.features);
  out.customers =
      segment_customers(columns_of(table.features, {"recency", "frequency", "monetary"}), spec.scoring, segment_table);
  out.cleaning = aggregate.report;
  return out;
}

}  // namespace

LoadedData load_grid_data(const GridConfig& config, const Executor& executor) {
  const auto& ds = config.dataset;
  LoadedData out;
  Dataset& data = out.data;
  if (ds.type == "benchmark") {
    data = io::read_benchmark(ds.path, ds.labels);
  } else if (ds.type == "features") {
    io::FeaturesCsvOptions options;
    options.header = ds.header;
    options.delimiter = ds.delimiter[0];
    options.id_column = ds.id_column;
    options.label_column = ds.label_column;
    options.columns = ds.columns;
    data = io::read_features_csv(ds.path, options);
  } else {
    out = load_transactions_dataset(config, executor);
  }
  validate_finite(out.data);
  // Checked before the constant-column test, which one row would fail with a misleading message.
  if (out.data.rows() < 2)
    throw InputError(
        fmt::format("{}: {} data row: clustering needs at least 2 rows", out.data.source, out.data.rows()));
  return out;
}

}  // namespace cb::grid
