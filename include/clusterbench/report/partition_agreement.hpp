#pragma once
// Whether two labelings of the same points are the same partition, whatever
// numbers the clusters carry: K-Means with another seed order or a relabelled
// store finds the same clusters under other ids.
#include <limits>

#include "clusterbench/core/matrix.hpp"

namespace cb::report {

struct PartitionAgreement {
  double ari =
      std::numeric_limits<double>::quiet_NaN();  ///< adjusted Rand index (noise as its own label); NaN without labels
  bool same_partition = false;                   ///< a one-to-one relabelling maps one onto the other, noise onto noise
};

/// Compares two labelings; different lengths or empty labels give NaN and false.
PartitionAgreement partition_agreement(const Labels& a, const Labels& b);

}  // namespace cb::report
