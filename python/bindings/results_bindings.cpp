// Reading a results store through the same reader and leaderboard as the CLI
// (store::read_results, report::leaderboard), so Python sees exactly what
// `clusterbench rank` and `profile` see, for every schema version they read.
#include <pybind11/stl.h>

#include <cmath>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "bindings.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::python {
namespace {

using RunChoice = std::variant<std::string, std::size_t>;  // a run key, or a leaderboard rank (1 = best)

records::GridResult read(const std::string& path, bool labels, bool data, bool profiles) {
  store::ReadOptions options;
  options.labels = labels;
  options.data = data;
  options.profiles = profiles;
  py::gil_scoped_release unlocked;
  return store::read_results(path, options);
}

const records::RunRecord& choose_run(const records::GridResult& result, const std::string& path, const RunChoice& run) {
  if (const auto* key = std::get_if<std::string>(&run)) {
    for (const auto& r : result.runs)
      if (r.key == *key) return r;
    throw InputError(fmt::format("{}: no run with key '{}'", path, *key));
  }
  const auto rank = std::get<std::size_t>(run);
  if (rank == 0) throw InputError("run: leaderboard ranks start at 1");
  report::LeaderboardOptions options;
  options.include_unscored = true;
  const auto rows = report::leaderboard(result, options);
  if (rows.size() < rank) throw InputError(fmt::format("{}: {} runs, so there is no rank {}", path, rows.size(), rank));
  return *rows[rank - 1].run;
}

template <class Get>
py::array_t<double> double_column(const std::vector<report::LeaderboardRow>& rows, Get get) {
  py::array_t<double> out(static_cast<py::ssize_t>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) out.mutable_at(static_cast<py::ssize_t>(i)) = get(*rows[i].run);
  return out;
}

template <class Get>
py::list object_column(const std::vector<report::LeaderboardRow>& rows, Get get) {
  py::list out;
  for (const auto& row : rows) out.append(get(row));
  return out;
}

double lookup(const std::map<std::string, double>& values, const std::string& name) {
  const auto it = values.find(name);
  return it == values.end() ? std::nan("") : it->second;
}

/// Every run, in leaderboard order (eligible first, then ineligible, then unscored), as named columns.
py::dict leaderboard_columns(const std::string& path) {
  const auto result = read(path, false, false, false);
  report::LeaderboardOptions options;
  options.include_unscored = true;
  const auto rows = report::leaderboard(result, options);
  std::set<std::string> score_names, value_names;
  for (const auto& run : result.runs) {
    for (const auto& [name, _] : run.scores) score_names.insert(name);
    for (const auto& [name, _] : run.values) value_names.insert(name);
  }

  py::dict columns;
  columns["rank"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.rank; });
  columns["key"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->key; });
  columns["space"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->space; });
  columns["algorithm"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->algorithm; });
  columns["k"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->k; });
  columns["k_found"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->k_found; });
  columns["status"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->status; });
  columns["eligible"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.ineligible.empty(); });
  columns["ineligible"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.ineligible; });
  for (const auto& name : score_names)
    columns[py::str(name)] = double_column(rows, [&](const records::RunRecord& r) { return lookup(r.scores, name); });
  for (const auto& name : value_names)
    if (!score_names.count(name))
      columns[py::str(name)] = double_column(rows, [&](const records::RunRecord& r) { return lookup(r.values, name); });
  columns["fit_seconds"] = double_column(rows, [](const records::RunRecord& r) { return r.fit_seconds; });
  columns["score_seconds"] = double_column(rows, [](const records::RunRecord& r) { return r.score_seconds; });
  columns["seed"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->seed; });
  columns["params"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->params; });
  columns["message"] = object_column(rows, [](const report::LeaderboardRow& r) { return r.run->message; });

  py::dict out;
  out["columns"] = columns;
  out["rank_by"] = report::resolved_sort_by(result, "");
  out["grid_name"] = result.provenance.grid_name;
  out["schema_version"] = result.provenance.schema_version;
  out["config_text"] = result.provenance.config_text;
  return out;
}

py::array_t<std::int32_t> run_labels(const std::string& path, const RunChoice& run) {
  const auto result = read(path, true, false, false);
  const auto& chosen = choose_run(result, path, run);
  if (chosen.labels.empty())
    throw InputError(fmt::format("{}: run {} has no labels ({}: {})", path, chosen.key, chosen.status, chosen.message));
  return to_numpy(chosen.labels);
}

/// A space's points by its label; "reference" is the preprocessed features and
/// "features" the input table, unless a space has that label.
py::array_t<double> space_points(const std::string& path, const std::string& name) {
  const auto result = read(path, false, true, false);
  std::string labels;
  for (const auto& space : result.spaces) {
    if (space.label == name) return to_numpy(space.points);
    labels += (labels.empty() ? "" : ", ") + space.label;
  }
  if (name == "reference") return to_numpy(result.reference);
  if (name == "features") return to_numpy(result.data.values);
  throw InputError(fmt::format("{}: no space '{}' (spaces: {}; also 'reference', 'features')", path, name, labels));
}

/// One run's customer profile: per group the profile columns, and the group x segment counts.
py::dict run_profile(const std::string& path, const RunChoice& run) {
  const auto result = read(path, false, false, true);
  const auto& chosen = choose_run(result, path, run);
  if (!chosen.profile)
    throw InputError(
        fmt::format("{}: no profile for run {}; profiles are stored for grids on a transactions dataset "
                    "and runs with labels",
                    path, chosen.key));
  const auto& rows = chosen.profile->clusters.rows;
  py::dict columns;
  auto column = [&](const char* name, auto get) {
    py::list values;
    for (const auto& row : rows) values.append(get(row));
    columns[name] = values;
  };
  column("group", [](const rfm::ProfileRow& r) { return r.label; });
  column("customers", [](const rfm::ProfileRow& r) { return r.customers; });
  column("share", [](const rfm::ProfileRow& r) { return r.share; });
  column("revenue", [](const rfm::ProfileRow& r) { return r.revenue; });
  column("revenue_share", [](const rfm::ProfileRow& r) { return r.revenue_share; });
  column("average_ticket", [](const rfm::ProfileRow& r) { return r.average_ticket; });
  column("mean_recency", [](const rfm::ProfileRow& r) { return r.mean_recency; });
  column("mean_frequency", [](const rfm::ProfileRow& r) { return r.mean_frequency; });
  column("mean_monetary", [](const rfm::ProfileRow& r) { return r.mean_monetary; });
  column("mean_r", [](const rfm::ProfileRow& r) { return r.mean_r; });
  column("mean_f", [](const rfm::ProfileRow& r) { return r.mean_f; });
  column("mean_m", [](const rfm::ProfileRow& r) { return r.mean_m; });
  const auto& table = chosen.profile->by_segment;
  py::dict out;
  out["key"] = chosen.key;
  out["columns"] = columns;
  out["segment_names"] = table.column_names;
  out["segment_rows"] = table.row_names;
  out["segment_counts"] = to_numpy(table.counts);
  return out;
}

}  // namespace

void bind_results(py::module_& m) {
  m.def("leaderboard_columns", &leaderboard_columns, py::arg("path"),
        "Every run of a results file in leaderboard order, as columns, with the file's rank_by and provenance");
  m.def("run_labels", &run_labels, py::arg("path"), py::arg("run"), "Labels of a run (by key, or leaderboard rank)");
  m.def("space_points", &space_points, py::arg("path"), py::arg("name"), "Points of a space (by label)");
  m.def("run_profile", &run_profile, py::arg("path"), py::arg("run"), "Customer profile of a run's clusters");
}

}  // namespace cb::python
