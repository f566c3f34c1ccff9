#pragma once
// HDF5 file of an RFM analysis (`clusterbench rfm --out`): per-customer features,
// scores and segments, the segment profile and the cleaning report. Written
// whole to a temporary name, then renamed.
#include <string>

#include "clusterbench/rfm/pipeline.hpp"

namespace cb::store {

void write_rfm_results(const std::string& path, const rfm::Analysis& analysis, const std::string& source);

}  // namespace cb::store
