#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/grid/transactions_config.hpp"
#include "clusterbench/io/dataset_readers.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/features.hpp"

namespace cb::grid {
namespace {

/// Customer features at the snapshot, built from the raw log, restricted to the chosen features.
Dataset load_transactions_dataset(const GridConfig& config) {
  const auto spec = parse_transactions_config(config.dataset.transactions, config.path);
  auto cleaning = spec.cleaning;
  if (spec.snapshot) cleaning.before = spec.snapshot;
  const auto executor = make_parallel_executor(config.threads);
  const auto aggregate = rfm::read_and_aggregate(config.dataset.path, spec.schema, cleaning, *executor);
  rfm::FeatureOptions features;
  features.snapshot = spec.snapshot;
  auto table = rfm::customer_features(aggregate, features);
  Dataset data;
  data.source = config.dataset.path;
  data.ids = std::move(table.features.ids);
  data.values.resize(table.features.rows(), static_cast<Index>(spec.features.size()));
  for (std::size_t c = 0; c < spec.features.size(); ++c)
    data.values.col(static_cast<Index>(c)) = table.features.values.col(rfm::feature_column(spec.features[c]));
  data.columns = spec.features;
  return data;
}

}  // namespace

Dataset load_dataset(const GridConfig& config) {
  const auto& ds = config.dataset;
  Dataset data;
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
    data = load_transactions_dataset(config);
  }
  validate_finite(data);
  return data;
}

}  // namespace cb::grid
