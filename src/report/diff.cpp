#include "clusterbench/report/diff.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/report/metric_catalog.hpp"
#include "text_table.hpp"

namespace cb::report {
namespace {

using Identity = std::tuple<std::string, std::string, std::string, int>;
using Json = nlohmann::ordered_json;

Identity identity_of(const records::RunRecord& r) { return {r.space, r.algorithm, r.params, r.k}; }

double value_of(const records::RunRecord* r, const std::string& column) {
  return r ? run_value(*r, column) : std::numeric_limits<double>::quiet_NaN();
}

std::map<const records::RunRecord*, std::size_t> ranks(const records::GridResult& result, const std::string& score) {
  const auto columns = numeric_columns(result.runs);
  if (std::find(columns.begin(), columns.end(), score) == columns.end())
    return {};  // a file without the score: unranked
  LeaderboardOptions options;
  options.sort_by = score;  // the catalog's direction orders lower-is-better scores lowest first
  std::map<const records::RunRecord*, std::size_t> out;
  for (const auto& row : leaderboard(result, options)) out[row.run] = row.rank;
  return out;
}

void require_score(const records::GridResult& before, const records::GridResult& after, const std::string& score) {
  std::set<std::string> columns;
  for (const auto* result : {&before, &after})
    for (const auto& c : numeric_columns(result->runs)) columns.insert(c);
  if (!columns.count(score))
    throw InputError(
        fmt::format("--score: no column '{}' in either file (valid: {})", score, fmt::join(columns, ", ")));
}

/// Matches runs by key, then the rest by identity (in file order, so duplicates pair up in turn).
std::vector<DiffRow> matched_rows(const records::GridResult& before, const records::GridResult& after) {
  std::map<std::string, const records::RunRecord*> after_by_key;
  for (const auto& r : after.runs) after_by_key.emplace(r.key, &r);
  std::set<const records::RunRecord*> used;
  std::vector<DiffRow> rows;
  std::vector<const records::RunRecord*> before_left;
  for (const auto& r : before.runs) {
    const auto it = after_by_key.find(r.key);
    if (it == after_by_key.end() || used.count(it->second)) {
      before_left.push_back(&r);
      continue;
    }
    used.insert(it->second);
    rows.push_back({r.space, r.algorithm, r.params, r.k, &r, it->second, "key", 0, 0, {}, {}});
  }
  std::multimap<Identity, const records::RunRecord*> after_by_identity;
  for (const auto& r : after.runs)
    if (!used.count(&r)) after_by_identity.emplace(identity_of(r), &r);
  for (const auto* r : before_left) {
    DiffRow row{r->space, r->algorithm, r->params, r->k, r, nullptr, "", 0, 0, {}, {}};
    if (const auto it = after_by_identity.find(identity_of(*r)); it != after_by_identity.end()) {
      row.after = it->second;
      row.matched_by = "identity";
      after_by_identity.erase(it);
    }
    rows.push_back(row);
  }
  for (const auto& [id, r] : after_by_identity)
    rows.push_back({r->space, r->algorithm, r->params, r->k, nullptr, r, "", 0, 0, {}, {}});
  return rows;
}

std::string presence_of(const DiffRow& r) { return !r.before ? "only_b" : (!r.after ? "only_a" : "both"); }

std::string labels_text(const DiffRow& r) {
  if (std::isnan(r.agreement.ari)) return "";
  return r.agreement.same_partition ? "same" : "differ";
}

Json number_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

}  // namespace

std::vector<DiffRow> diff_results(const records::GridResult& before, const records::GridResult& after,
                                  const DiffOptions& options) {
  require_score(before, after, options.score);
  const auto ranks_before = ranks(before, options.score), ranks_after = ranks(after, options.score);
  std::vector<DiffRow> out;
  for (auto& row : matched_rows(before, after)) {
    if (row.before && ranks_before.count(row.before)) row.rank_before = ranks_before.at(row.before);
    if (row.after && ranks_after.count(row.after)) row.rank_after = ranks_after.at(row.after);
    if (row.before && row.after) row.agreement = partition_agreement(row.before->labels, row.after->labels);
    const double a = value_of(row.before, options.score), b = value_of(row.after, options.score);
    const bool same_score = (std::isnan(a) && std::isnan(b)) || std::abs(b - a) <= options.tolerance;
    const bool same_labels = std::isnan(row.agreement.ari) || row.agreement.same_partition;
    if (options.changed_only && row.before && row.after && same_score && same_labels &&
        row.rank_before == row.rank_after)
      continue;
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end(), [](const DiffRow& a, const DiffRow& b) {
    const auto ra = a.rank_after ? a.rank_after : std::numeric_limits<std::size_t>::max();
    const auto rb = b.rank_after ? b.rank_after : std::numeric_limits<std::size_t>::max();
    return std::tie(ra, a.space, a.algorithm, a.k, a.params) < std::tie(rb, b.space, b.algorithm, b.k, b.params);
  });
  return out;
}

std::string render_diff(const std::vector<DiffRow>& rows, Format format, const DiffOptions& options) {
  const std::string& score = options.score;
  if (format == Format::json) {
    Json array = Json::array();
    for (const auto& r : rows) {
      const double a = value_of(r.before, score), b = value_of(r.after, score);
      const double ta = value_of(r.before, "fit_seconds"), tb = value_of(r.after, "fit_seconds");
      const auto* any = r.after ? r.after : r.before;
      Json j;
      j["space"] = r.space;
      j["algorithm"] = r.algorithm;
      j["k"] = r.k;
      j["params"] = compact_params(*any, options.defaults);
      j["presence"] = presence_of(r);
      j["matched_by"] = r.matched_by.empty() ? Json(nullptr) : Json(r.matched_by);
      j["key_a"] = r.before ? Json(r.before->key) : Json(nullptr);
      j["key_b"] = r.after ? Json(r.after->key) : Json(nullptr);
      j["rank_a"] = r.rank_before ? Json(r.rank_before) : Json(nullptr);
      j["rank_b"] = r.rank_after ? Json(r.rank_after) : Json(nullptr);
      j["score"] = score;
      j["score_a"] = number_or_null(a);
      j["score_b"] = number_or_null(b);
      j["delta"] = number_or_null(b - a);
      j["fit_seconds_a"] = number_or_null(ta);
      j["fit_seconds_b"] = number_or_null(tb);
      j["time_ratio"] = ta > 0 ? number_or_null(tb / ta) : Json(nullptr);
      j["ari"] = number_or_null(r.agreement.ari);
      j["same_partition"] = std::isnan(r.agreement.ari) ? Json(nullptr) : Json(r.agreement.same_partition);
      j["violations"] = r.violations;
      array.push_back(j);
    }
    return array.dump(2) + "\n";
  }
  std::vector<std::string> header{"space",      "algorithm", "k",   "params", "rank_a",   "rank_b",    score + "_a",
                                  score + "_b", "delta",     "ari", "labels", "presence", "matched_by"};
  if (options.show_violations) header.push_back("violations");
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows) {
    const double a = value_of(r.before, score), b = value_of(r.after, score);
    const auto* any = r.after ? r.after : r.before;
    std::vector<std::string> line{r.space,
                                  r.algorithm,
                                  std::to_string(r.k),
                                  compact_params(*any, options.defaults),
                                  r.rank_before ? std::to_string(r.rank_before) : "",
                                  r.rank_after ? std::to_string(r.rank_after) : "",
                                  text::number(a),
                                  text::number(b),
                                  std::isnan(b - a) ? "" : fmt::format("{:+.4f}", b - a),
                                  text::number(r.agreement.ari),
                                  labels_text(r),
                                  presence_of(r),
                                  r.matched_by};
    if (options.show_violations) line.push_back(fmt::format("{}", fmt::join(r.violations, "; ")));
    cells.push_back(std::move(line));
  }
  std::vector<bool> left(header.size(), false);
  for (const std::size_t c : {0, 1, 3}) left[c] = true;
  for (std::size_t c = 10; c < header.size(); ++c) left[c] = true;
  std::string out = text::render(header, cells, format, left);
  if (format == Format::table && cells.empty())
    out += options.show_violations ? "(no run violates --fail-on)\n" : "(no differences)\n";
  return out;
}

}  // namespace cb::report
