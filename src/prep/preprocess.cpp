#include "clusterbench/prep/preprocess.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::prep {
namespace {

Matrix apply_log1p(MatrixView raw, const std::vector<Index>& columns) {
  Matrix out = raw;
  for (Index j : columns) {
    for (Index i = 0; i < out.rows(); ++i) {
      if (!(out(i, j) > -1.0))
        throw InputError(
            fmt::format("log1p on column {}: row {} has value {} (must be > -1)", j + 1, i + 1, out(i, j)));
      out(i, j) = std::log1p(out(i, j));
    }
  }
  return out;
}

/// Quantile with linear interpolation (numpy's default), on sorted values.
double quantile_sorted(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

bool parse_scaling(std::string_view text, Scaling& out) {
  const auto scaling = value_of(kScalingNames, text);
  if (scaling) out = *scaling;
  return scaling.has_value();
}

PrepModel fit_preprocess(MatrixView raw, const PrepOptions& options) {
  PrepModel model;
  model.log1p_columns = options.log1p_columns;
  for (Index j : options.log1p_columns)
    if (j < 0 || j >= raw.cols()) throw InputError(fmt::format("log1p column index {} out of range", j));
  const Matrix x = apply_log1p(raw, options.log1p_columns);
  const Index n = x.rows(), d = x.cols();
  model.center = Vector::Zero(d);
  model.scale = Vector::Ones(d);
  std::vector<double> column(static_cast<std::size_t>(n));
  for (Index j = 0; j < d; ++j) {
    double center = 0, spread = 0;
    switch (options.scaling) {
      case Scaling::none: continue;
      case Scaling::standard: {
        center = x.col(j).mean();
        spread = std::sqrt((x.col(j).array() - center).square().mean());
        break;
      }
      case Scaling::robust: {
        for (Index i = 0; i < n; ++i) column[static_cast<std::size_t>(i)] = x(i, j);
        std::sort(column.begin(), column.end());
        center = quantile_sorted(column, 0.5);
        spread = quantile_sorted(column, 0.75) - quantile_sorted(column, 0.25);
        break;
      }
      case Scaling::minmax: {
        center = x.col(j).minCoeff();
        spread = x.col(j).maxCoeff() - center;
        break;
      }
    }
    model.center(j) = center;
    // As scikit-learn does: a column without spread is centred and left unscaled.
    if (spread > 0 && std::isfinite(spread)) {
      model.scale(j) = spread;
    } else {
      model.constant_columns.push_back(j);
    }
  }
  return model;
}

Matrix PrepModel::apply(MatrixView raw) const {
  Matrix x = apply_log1p(raw, log1p_columns);
  for (Index j = 0; j < x.cols(); ++j) x.col(j) = (x.col(j).array() - center(j)) / scale(j);
  return x;
}

}  // namespace cb::prep
