#pragma once
// Internal: a transaction log's cleaning report (/cleaning: one row per rule),
// shared by the grid's results file and `rfm --out`. Layout in the README
// ("Results schema").
#include <hdf5.h>

#include <optional>

#include "clusterbench/rfm/cleaning.hpp"

namespace cb::store {

void write_cleaning(hid_t file, const rfm::CleaningReport& report);
/// Empty when the file has no /cleaning group (not a transactions dataset, or written before it was stored).
std::optional<rfm::CleaningReport> read_cleaning(hid_t file);

}  // namespace cb::store
