#pragma once
// Loads an RFM segment rule table from YAML (the config layer owns YAML; the
// rfm library sees only the plain rfm::SegmentTable). Format, see
// configs/segments/standard11.yaml and docs/rfm.md:
//   name: my_table
//   default: Others            # required
//   rules:                     # ordered, first match wins
//     - segment: Champions
//       codes: [555, 554]      # explicit R,F,M codes, and/or
//       r: [4, 5]              # inclusive ranges (a single number means [n, n]) over r, f, m, fm = (f+m)/2
//       frequency: "== 1"      # raw values too: recency (days), frequency (invoices), monetary;
//       monetary: [">= 100", "< 500"]   # a comparison (<, <=, >, >=, ==) or a list that must all hold
//       any:                   # alternative conditions, any of which matches
//         - {r: 3, fm: [1, 2.99]}
#include <string>
#include <vector>

#include "clusterbench/rfm/segments.hpp"

namespace cb::rfm_config {

/// Parses YAML text; `where` (a file name) prefixes error messages with the line.
rfm::SegmentTable parse_segment_table(const std::string& yaml_text, const std::string& where);

/// Reads a YAML file. Throws ConfigError naming file:line, the rule (number
/// and segment) and the field for unknown keys, wrong types, empty ranges or a
/// missing default: "t.yaml:4: rule 2 (New): frequency: empty range > 3 and < 1".
rfm::SegmentTable load_segment_table(const std::string& path);

/// `name` is a preset ("standard11", "rfm_r", "rf_grid", "r_fm6": the files
/// configs/segments/<name>.yaml, compiled into the binary so they work from
/// any directory) or a path to a YAML file.
rfm::SegmentTable load_segment_preset(const std::string& name);

/// The names of the compiled-in presets, sorted.
std::vector<std::string> segment_preset_names();

}  // namespace cb::rfm_config
