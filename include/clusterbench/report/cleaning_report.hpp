#pragma once
// A transaction log's cleaning report as text: rows read, each rule's removals,
// what was kept. Printed by `rfm` and by `run` on a transactions dataset.
#include <string>

#include "clusterbench/rfm/cleaning.hpp"

namespace cb::report {

std::string render_cleaning(const rfm::CleaningReport& report);

}  // namespace cb::report
