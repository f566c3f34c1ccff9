// Renders `select`: one row per (space, algorithm, parameters), one column per criterion.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clusterbench/report/k_selection.hpp"
#include "text_table.hpp"

namespace cb::report {
namespace {

using Json = nlohmann::ordered_json;

std::string k_range(const std::vector<int>& ks) {
  if (ks.empty()) return "";
  return ks.size() == 1 ? std::to_string(ks.front()) : fmt::format("{}..{}", ks.front(), ks.back());
}

std::string agreement_text(const KSelection& row) {
  if (!row.consensus_k) return "";
  std::size_t available = 0;
  for (const int k : row.chosen) available += k > 0;
  return fmt::format("k={} by {} of {}: {}", row.consensus_k, row.agreeing.size(), available,
                     fmt::join(row.agreeing, ", "));
}

std::string methods_note(const SelectOptions& options) {
  std::string note =
      "silhouette, silhouette_ref, calinski_harabasz, dbcv: the k of the largest score; davies_bouldin, bic: the "
      "smallest. "
      "elbow: the k farthest below the chord of inertia (W_k) over k, both scaled to [0, 1] (Kneedle without "
      "smoothing). "
      "stability (grids with a stability section): the k of the largest mean ARI between the run and its refits on "
      "subsamples, the smallest k on a tie.";
  if (options.gap_references > 0)
    note += fmt::format(
        " gap (K-Means only; Tibshirani, Walther & Hastie 2001): B = {} uniform reference sets in the PCA-aligned box "
        "of "
        "the space's points, each clustered by K-Means for k = 1 and every k of the grid; gap = the paper's 1-SE rule "
        "(smallest k with Gap(k) >= Gap(k+1) - s(k+1)), gap_global = smallest k within one s of the largest gap.",
        options.gap_references);
  return note;
}

Json gap_json(const cluster::GapResult& gap) {
  Json j;
  j["references"] = gap.references;
  j["seed"] = gap.seed;
  j["chosen_k"] = gap.chosen_k;
  j["chosen_k_global"] = gap.chosen_k_global;
  Json curve = Json::array();
  for (const auto& p : gap.points)
    curve.push_back({{"k", p.k}, {"gap", p.gap}, {"s", p.s}, {"log_w", p.log_w}, {"expected_log_w", p.expected_log_w}});
  j["curve"] = curve;
  return j;
}

}  // namespace

std::string render_selection(const std::vector<KSelection>& rows, Format format, const SelectOptions& options) {
  const auto& criteria = selection_criteria();
  if (format == Format::json) {
    Json array = Json::array();
    for (const auto& row : rows) {
      Json j;
      j["space"] = row.space;
      j["algorithm"] = row.algorithm;
      j["params"] = row.params;
      j["ks"] = row.ks;
      Json chosen;
      for (std::size_t i = 0; i < criteria.size(); ++i)
        chosen[criteria[i]] = row.chosen[i] ? Json(row.chosen[i]) : Json(nullptr);
      j["chosen"] = chosen;
      j["consensus_k"] = row.consensus_k ? Json(row.consensus_k) : Json(nullptr);
      j["agreeing"] = row.agreeing;
      j["gap"] = row.gap ? gap_json(*row.gap) : Json(nullptr);
      array.push_back(j);
    }
    return array.dump(2) + "\n";
  }
  std::vector<std::string> header{"space", "algorithm", "params", "k"};
  header.insert(header.end(), criteria.begin(), criteria.end());
  header.push_back("agreement");
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    std::vector<std::string> line{row.space, row.algorithm, row.params, k_range(row.ks)};
    for (const int k : row.chosen) line.push_back(k ? std::to_string(k) : "-");
    line.push_back(agreement_text(row));
    cells.push_back(std::move(line));
  }
  std::vector<bool> left(header.size(), false);
  left[0] = left[1] = left[2] = left.back() = true;
  std::string out = text::render(header, cells, format, left);
  if (cells.empty()) return out + "(no run with labels and k clusters found)\n";
  if (format == Format::csv) return out;
  return out + "\n" + (format == Format::markdown ? "" : "Methods: ") + methods_note(options) + "\n";
}

}  // namespace cb::report
