#pragma once
// Internal: the customer segments (/customers) and the run profiles
// (/profiles, one row per run and group) of a results file. Layout in the
// README ("Results schema").
#include <hdf5.h>

#include <optional>
#include <vector>

#include "clusterbench/records/results.hpp"

namespace cb::store {

void write_customers(hid_t file, const records::CustomerSegments& customers);
/// One row per (run, group) for every run with a profile; `segments` columns of counts.
void write_profiles(hid_t file, const std::vector<records::RunRecord>& runs, std::size_t segments);

/// Empty when the file has no /customers group (not a transactions dataset, or schema 1).
std::optional<records::CustomerSegments> read_customers(hid_t file, const Dataset& data);
/// Fills RunRecord::profile for every run with rows in /profiles; the cross
/// table's columns are the file's segment names.
void read_profiles(hid_t file, std::vector<records::RunRecord>& runs);

}  // namespace cb::store
