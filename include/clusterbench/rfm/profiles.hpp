#pragma once
// Business profile of any labeling of customers (RFM segments or the clusters
// of a run): size, revenue, average ticket and mean R/F/M per group, and a
// cross-table of two labelings (e.g. cluster x segment).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/rfm/scores.hpp"

namespace cb::rfm {

struct ProfileRow {
  std::string label;                          ///< segment or cluster name ("noise" for kNoise)
  std::size_t customers = 0;                  ///< customers in the group
  double share = 0;                           ///< customers / all customers
  double revenue = 0;                         ///< sum of monetary
  double revenue_share = 0;                   ///< revenue / all revenue (0 when all revenue is 0)
  double average_ticket = 0;                  ///< revenue / sum of frequency (invoices); 0 for an empty group
  double mean_recency = 0;                    ///< mean recency in days
  double mean_frequency = 0;                  ///< mean frequency (invoices)
  double mean_monetary = 0;                   ///< mean monetary
  double mean_r = 0, mean_f = 0, mean_m = 0;  ///< mean scores (0 when no scores were given)
};

struct Profile {
  std::vector<ProfileRow> rows;  ///< one per name (label 0..), then "noise" if any point is noise
  std::size_t customers = 0;     ///< all customers
  double revenue = 0;            ///< all revenue
};

/// Profiles a labeling. `features` needs columns recency, frequency, monetary;
/// labels are 0..names.size()-1 or kNoise (a label without a name is called
/// "cluster <label>"). `scores` (optional) adds mean R/F/M scores. Groups are
/// listed even when empty. Throws InputError on a size mismatch.
Profile profile(const Dataset& features, std::span<const Label> labels, const std::vector<std::string>& names,
                const RfmScores* scores = nullptr);

/// Counts of customers per (row label, column label); noise gets its own last
/// row or column when present.
struct CrossTable {
  std::vector<std::string> row_names, column_names;
  Matrix counts;  ///< rows x columns
};

CrossTable cross_table(std::span<const Label> rows, const std::vector<std::string>& row_names,
                       std::span<const Label> columns, const std::vector<std::string>& column_names);

}  // namespace cb::rfm
