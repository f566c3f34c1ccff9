#include "clusterbench/core/dataset.hpp"

#include <cmath>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb {

void validate_finite(const Dataset& data) {
  if (data.rows() == 0) throw InputError(fmt::format("{}: no data rows", data.source));
  if (data.cols() == 0) throw InputError(fmt::format("{}: no feature columns", data.source));
  for (Index i = 0; i < data.rows(); ++i)
    for (Index j = 0; j < data.cols(); ++j)
      if (!std::isfinite(data.values(i, j)))
        throw InputError(fmt::format("{}: row {} (id {}), column '{}': value is not finite ({})", data.source, i + 1,
                                     data.ids.empty() ? std::to_string(i + 1) : data.ids[static_cast<std::size_t>(i)],
                                     data.columns[static_cast<std::size_t>(j)], data.values(i, j)));
}

}  // namespace cb
