#pragma once
// RFM scores 1..bins with a choice of tie policy (RFM_RULES.md, docs/rfm.md):
//   cut_le     cut points = type-7 quantiles at j/bins (numpy default); x <= q goes to the lower bin
//   rank_first rank with ties broken by row order, then pandas qcut of the ranks into equal-size bins
//   r_rfm      R package `rfm`: breaks = type-7 quantiles (R's arithmetic) without min and max, plus 1;
//              bin i holds lower_i <= x < upper_i
//   ntile      SQL NTILE(bins) over the values sorted ascending (ties in row order)
// Recency is reversed for every policy: R = bins + 1 - (ascending score of recency days).
#include <span>
#include <string>
#include <vector>

#include "clusterbench/core/dataset.hpp"
#include "clusterbench/core/enum_names.hpp"

namespace cb::rfm {

enum class TiePolicy { cut_le, rank_first, r_rfm, ntile };
inline constexpr EnumName<TiePolicy> kTiePolicyNames[] = {{"cut_le", TiePolicy::cut_le},
                                                          {"rank_first", TiePolicy::rank_first},
                                                          {"r_rfm", TiePolicy::r_rfm},
                                                          {"ntile", TiePolicy::ntile}};
inline std::string_view tie_policy_name(TiePolicy policy) { return name_of(kTiePolicyNames, policy); }
/// Parses "cut_le" | "rank_first" | "r_rfm" | "ntile"; throws ConfigError otherwise.
TiePolicy parse_tie_policy(const std::string& name);

struct ScoreOptions {
  int bins = 5;                            ///< number of score levels (2..9, so a code has one digit per score)
  TiePolicy ties = TiePolicy::rank_first;  ///< how cut points treat ties (see above)
};

/// Cut points of one dimension as value thresholds: ascending score =
/// 1 + #{t : x > t} (or x >= t when `at_or_above`). For rank-based policies
/// they are the largest value of each of the levels 1..bins-1, so pinned
/// scoring gives a value the lowest level it had in the data the cuts came from
/// (ties that the ranks split over two levels go to the lower one).
struct DimensionCuts {
  std::vector<double> thresholds;  ///< bins - 1 ascending values
  bool at_or_above = false;        ///< compare with >= instead of >
  int ascending_score(double x) const;
};

struct ScoreCuts {
  int bins = 5;
  DimensionCuts recency, frequency, monetary;
};

struct RfmScores {
  std::vector<int> r, f, m;  ///< 1..bins per customer (5 = most recent / most frequent / highest spend)
  std::vector<int> code;     ///< 100 r + 10 f + m
  std::vector<double> fm;    ///< (f + m) / 2
  ScoreCuts cuts;            ///< the cut points used (reusable with score_pinned)
};

/// Ascending scores 1..bins of one column under a tie policy; fills `cuts`.
std::vector<int> ascending_scores(std::span<const double> values, int bins, TiePolicy ties,
                                  DimensionCuts* cuts = nullptr);

/// Scores the recency, frequency and monetary columns of a features Dataset
/// (columns named "recency", "frequency", "monetary"). Throws InputError when
/// a column is missing, the data are empty or bins is out of range.
RfmScores score(const Dataset& features, const ScoreOptions& options = {});

/// Scores with cut points fixed earlier (migration "pinned" mode).
RfmScores score_pinned(const Dataset& features, const ScoreCuts& cuts);

}  // namespace cb::rfm
