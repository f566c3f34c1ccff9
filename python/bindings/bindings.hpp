#pragma once
// Shared pieces of the _clusterbench module: one bind_* function per area
// (results, kernels, grid) and the numpy <-> Eigen conversions they all use.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::python {

namespace py = pybind11;

/// Row-major float64 input; forcecast converts other dtypes and layouts once.
using PointsArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
using LabelsArray = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

/// A no-copy view of a 2-D numpy array (throws ValueError for another rank or no rows).
Eigen::Map<const Matrix> points_view(const PointsArray& points);

/// Labels of one labeling (1-D) or rows of a labeling matrix (2-D) as vectors.
std::vector<Labels> labelings_of(const LabelsArray& labels, Index points);

/// numpy copies of core types (the array owns its memory).
py::array_t<double> to_numpy(const Matrix& matrix);
py::array_t<std::int32_t> to_numpy(const Labels& labels);

/// Threads for a kernel call: 0 = all cores (the CLI's convention).
std::unique_ptr<Executor> kernel_executor(int threads);

void bind_results(py::module_& m);
void bind_kernels(py::module_& m);
void bind_grid(py::module_& m);

}  // namespace cb::python
