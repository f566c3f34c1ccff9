#pragma once
// Density-Based Clustering Validation (Moulavi, Jaskowiak, Campello, Zimek &
// Sander 2014), as the hdbscan package's validity_index computes it: per
// cluster, all-points core distances, the minimum spanning tree of mutual
// reachability distances (Prim from the first point, first minimum on ties),
// density sparseness = the largest MST edge between internal vertices (degree
// > 1; all edges when there is none), density separation = the smallest mutual
// reachability distance between internal vertices of two clusters. Noise
// counts in n but belongs to no cluster. O(n_c²·d) time and O(n_c·d) memory per cluster.
#include "clusterbench/core/executor.hpp"
#include "clusterbench/core/matrix.hpp"

namespace cb::metrics {

/// DBCV in [-1, 1] (higher is better); NaN with fewer than two clusters or a
/// cluster of fewer than three points (no internal MST vertex to separate).
/// The core distances of a cluster's points run in parallel on `executor` (fixed chunks:
/// the value does not depend on the thread count).
double dbcv(MatrixView points, const Labels& labels, const Executor& executor = serial_executor());

}  // namespace cb::metrics
