// The numpy kernels: batched silhouette, K-Means (one k or all k sharing
// seedings), nearest-centroid assignment and the Ward tree. Each call views
// the caller's array without copying and releases the GIL while it computes.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "clusterbench/cluster/hierarchical.hpp"
#include "clusterbench/cluster/kmeans.hpp"
#include "clusterbench/metrics/silhouette.hpp"

namespace cb::python {
namespace {

py::dict kmeans_dict(const cluster::KMeansResult& r) {
  py::dict d;
  d["k"] = r.centroids.rows();
  d["labels"] = to_numpy(r.labels);
  d["centroids"] = to_numpy(r.centroids);
  d["inertia"] = r.inertia;
  d["iterations"] = r.iterations;
  d["converged"] = r.converged;
  return d;
}

cluster::KMeansOptions kmeans_options(int n_init, int max_iter, double tol) {
  cluster::KMeansOptions options;
  options.n_init = n_init;
  options.max_iter = max_iter;
  options.tol = tol;
  return options;
}

/// Silhouettes of every labeling (rows of `labels`) in one pass over the distances.
py::dict silhouette_many(const PointsArray& x, const LabelsArray& labels, bool per_sample, int threads) {
  const auto points = points_view(x);
  const auto labelings = labelings_of(labels, points.rows());
  metrics::SilhouetteOptions options;
  options.per_sample = per_sample;
  std::vector<metrics::SilhouetteResult> results;
  {
    py::gil_scoped_release unlocked;
    results = metrics::silhouette_many(points, labelings, options, *kernel_executor(threads));
  }
  py::array_t<double> means(static_cast<py::ssize_t>(results.size()));
  py::array_t<std::int32_t> clusters(static_cast<py::ssize_t>(results.size()));
  py::list statuses;
  for (std::size_t i = 0; i < results.size(); ++i) {
    means.mutable_at(static_cast<py::ssize_t>(i)) = results[i].mean;
    clusters.mutable_at(static_cast<py::ssize_t>(i)) = results[i].clusters;
    statuses.append(results[i].status);
  }
  py::dict out;
  out["mean"] = means;
  out["clusters"] = clusters;
  out["status"] = statuses;
  if (per_sample) {
    Matrix samples(static_cast<Index>(results.size()), points.rows());
    for (std::size_t i = 0; i < results.size(); ++i)
      samples.row(static_cast<Index>(i)) = results[i].per_sample.transpose();
    out["per_sample"] = to_numpy(samples);
  }
  return out;
}

py::list kmeans_all_k(const PointsArray& x, const std::vector<int>& ks, int n_init, int max_iter, double tol,
                      std::uint64_t seed, int threads) {
  const auto points = points_view(x);
  std::vector<cluster::KMeansResult> results;
  {
    py::gil_scoped_release unlocked;
    results = cluster::kmeans_all_k(points, ks, kmeans_options(n_init, max_iter, tol), seed, *kernel_executor(threads));
  }
  py::list out;
  for (const auto& r : results) out.append(kmeans_dict(r));
  return out;
}

py::dict kmeans_one_k(const PointsArray& x, int k, int n_init, int max_iter, double tol, std::uint64_t seed,
                      int threads) {
  const auto points = points_view(x);
  cluster::KMeansResult result;
  {
    py::gil_scoped_release unlocked;
    result = cluster::kmeans(points, k, kmeans_options(n_init, max_iter, tol), seed, *kernel_executor(threads));
  }
  return kmeans_dict(result);
}

py::array_t<std::int32_t> assign_nearest(const PointsArray& x, const PointsArray& centroids, int threads) {
  const auto points = points_view(x);
  const Matrix centres = points_view(centroids);
  if (centres.cols() != points.cols())
    throw py::value_error("X has " + std::to_string(points.cols()) + " features, the centroids " +
                          std::to_string(centres.cols()));
  Labels labels;
  {
    py::gil_scoped_release unlocked;
    labels = cluster::assign_nearest(points, centres, *kernel_executor(threads));
  }
  return to_numpy(labels);
}

cluster::HierarchicalTree ward_tree(const PointsArray& x, std::uint64_t seed, int threads) {
  const auto points = points_view(x);
  cluster::HierarchicalOptions options;
  options.linkage = cluster::Linkage::ward;
  options.seed = seed;
  py::gil_scoped_release unlocked;
  return cluster::hierarchical_tree(points, options, *kernel_executor(threads));
}

}  // namespace

void bind_kernels(py::module_& m) {
  m.def("silhouette_many", &silhouette_many, py::arg("X"), py::arg("labels"), py::arg("per_sample") = false,
        py::arg("n_threads") = 0,
        "Exact silhouettes of the rows of a labels matrix in one pass (-1 = noise, excluded): "
        "{'mean', 'clusters', 'status'[, 'per_sample']}");
  m.def("kmeans_all_k", &kmeans_all_k, py::arg("X"), py::arg("ks"), py::arg("n_init") = 10, py::arg("max_iter") = 300,
        py::arg("tol") = 1e-4, py::arg("seed") = 0, py::arg("n_threads") = 0,
        "K-Means for every k, each restart seeding the largest k once and every smaller k from its first centres");
  m.def("kmeans", &kmeans_one_k, py::arg("X"), py::arg("k"), py::arg("n_init") = 10, py::arg("max_iter") = 300,
        py::arg("tol") = 1e-4, py::arg("seed") = 0, py::arg("n_threads") = 0, "K-Means for one k (best of n_init)");
  m.def("assign_nearest", &assign_nearest, py::arg("X"), py::arg("centroids"), py::arg("n_threads") = 0,
        "Index of the nearest centroid of every point (first on ties)");

  py::class_<cluster::HierarchicalTree>(m, "WardTree", "A Ward merge tree; cut it at any k without refitting")
      .def_property_readonly(
          "merges", [](const cluster::HierarchicalTree& t) { return to_numpy(t.merges); },
          "SciPy linkage matrix Z over the leaves")
      .def_readonly("leaves", &cluster::HierarchicalTree::leaves)
      .def_property_readonly("approximate", &cluster::HierarchicalTree::approximate,
                             "True when the leaves are micro-clusters (above 100,000 points)")
      .def_property_readonly(
          "method",
          [](const cluster::HierarchicalTree& t) { return std::string(cluster::hierarchy_method_name(t.method)); })
      .def(
          "cut", [](const cluster::HierarchicalTree& t, int k) { return to_numpy(cluster::cut_tree(t, k)); },
          py::arg("k"), "Labels 0..k-1 of the k-cluster cut, numbered by first appearance");
  m.def("ward_tree", &ward_tree, py::arg("X"), py::arg("seed") = 0, py::arg("n_threads") = 0,
        "Ward merge tree (exact up to 100,000 points, micro-clusters above)");
}

}  // namespace cb::python
