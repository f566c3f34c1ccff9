// numpy <-> Eigen for the bindings: inputs are viewed without copying,
// outputs are copied into arrays that Python owns.
#include <algorithm>
#include <cstring>
#include <string>

#include "bindings.hpp"

namespace cb::python {

Eigen::Map<const Matrix> points_view(const PointsArray& points) {
  if (points.ndim() != 2)
    throw py::value_error("X must be 2-D (points × features), got " + std::to_string(points.ndim()) + "-D");
  if (points.shape(0) == 0 || points.shape(1) == 0) throw py::value_error("X has no points or no features");
  return {points.data(), static_cast<Index>(points.shape(0)), static_cast<Index>(points.shape(1))};
}

std::vector<Labels> labelings_of(const LabelsArray& labels, Index points) {
  if (labels.ndim() != 1 && labels.ndim() != 2) throw py::value_error("labels must be 1-D or 2-D (labelings × points)");
  const auto count = labels.ndim() == 1 ? py::ssize_t{1} : labels.shape(0);
  const auto length = labels.shape(labels.ndim() - 1);
  if (length != points)
    throw py::value_error("labels have " + std::to_string(length) + " entries per labeling, X has " +
                          std::to_string(points) + " points");
  std::vector<Labels> out(static_cast<std::size_t>(count));
  for (py::ssize_t l = 0; l < count; ++l) {
    const auto* row = labels.data() + l * length;
    out[static_cast<std::size_t>(l)].assign(row, row + length);
  }
  return out;
}

py::array_t<double> to_numpy(const Matrix& matrix) {
  py::array_t<double> out({matrix.rows(), matrix.cols()});
  if (matrix.size() > 0)
    std::memcpy(out.mutable_data(), matrix.data(), sizeof(double) * static_cast<std::size_t>(matrix.size()));
  return out;
}

py::array_t<std::int32_t> to_numpy(const Labels& labels) {
  py::array_t<std::int32_t> out(static_cast<py::ssize_t>(labels.size()));
  std::copy(labels.begin(), labels.end(), out.mutable_data());
  return out;
}

std::unique_ptr<Executor> kernel_executor(int threads) {
  if (threads < 0) throw py::value_error("n_threads must be >= 0 (0 = all cores)");
  return make_parallel_executor(threads);
}

}  // namespace cb::python
