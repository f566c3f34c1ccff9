#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/io/dataset_readers.hpp"

namespace cb::grid {

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
    throw ConfigError(fmt::format("{}: dataset.type '{}' is not supported by this build", config.path, ds.type));
  }
  validate_finite(data);
  return data;
}

}  // namespace cb::grid
