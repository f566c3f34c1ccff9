#pragma once
// Density-Based Clustering Validation (Moulavi, Jaskowiak, Campello, Zimek &
// Sander 2014), as the hdbscan package's validity_index computes it: per
// cluster, all-points core distances, the minimum spanning tree of mutual
// reachability distances (Prim from the first point, first minimum on ties),
// density sparseness = the largest MST edge between internal vertices (degree
// > 1; all edges when there is none), density separation = the smallest mutual
// reachability distance between internal vertices of two clusters. Noise
// counts in n but belongs to no cluster. O(n_c²·d) time and O(n_c) memory per cluster.
#include "clusterbench/core/matrix.hpp"

namespace cb::metrics {

/// DBCV in [-1, 1] (higher is better); NaN with fewer than two clusters or a
/// cluster of fewer than three points (no internal MST vertex to separate).
double dbcv(MatrixView points, const Labels& labels);

}  // namespace cb::metrics
