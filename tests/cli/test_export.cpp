// `clusterbench export`: the CSV on stdout or in a file, and the SQLite database
// of a whole grid, read back with the sqlite3 command-line tool.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli_support.hpp"
#include "clusterbench/store/result_store.hpp"

using namespace cb;
namespace fs = std::filesystem;

namespace {

/// A transactions grid (so runs have profiles) in `dir`/out.h5.
std::string december_grid(const std::string& dir) {
  return test::december_log_grid(dir, "name: exports\nseed: 7\noutput: " + dir + R"(/out.h5
algorithms:
  - {name: kmeans, k: [2, 4], params: {n_init: 2}}
  - {name: dbscan, k: [2, 3], params: {min_samples: 5}}
)");
}

/// Adds a failed run (no labels, no profile) to the store, as a grid whose algorithm threw leaves one.
void add_failed_run(const std::string& results) {
  auto result = store::read_results(results);
  records::RunRecord failed = result.runs.front();
  failed.key = "0failedrun";
  failed.status = "failed";
  failed.message = "injected by the test";
  failed.k_found = 0;
  failed.labels.clear();
  failed.cluster_sizes.clear();
  failed.profile.reset();
  failed.arrays.clear();
  for (auto& [name, value] : failed.scores) value = std::nan("");
  result.runs.push_back(failed);
  store::write_results(results, result);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs clusterbench with stdout and stderr kept apart; returns {exit code, stdout, stderr}.
std::tuple<int, std::string, std::string> clusterbench_split(const std::string& dir, const std::string& args) {
  const std::string out = dir + "/stdout.txt", err = dir + "/stderr.txt";
  // In a subshell: run_command appends its own 2>&1, which must not reach these redirections.
  const auto [code, ignored] =
      test::run_command("(cd '" CB_SOURCE_DIR "' && '" CB_EXECUTABLE "' " + args + " >'" + out + "' 2>'" + err + "')");
  return {code, read_text(out), read_text(err)};
}

/// One query through the sqlite3 tool (rows on lines, columns separated by '|').
std::string sql(const std::string& database, const std::string& query) {
  const auto [code, out] = test::run_command("sqlite3 -batch '" + database + "' \"" + query + "\"");
  INFO(query << "\n" << out);
  REQUIRE(code == 0);
  return out;
}

std::size_t count_rows(const std::string& database, const std::string& table) {
  return std::stoul(sql(database, "SELECT count(*) FROM " + table));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields_of(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, separator);) fields.push_back(field);
  if (!line.empty() && line.back() == separator) fields.emplace_back();
  return fields;
}

}  // namespace

TEST_CASE("export --to writes an SQLite database whose tables hold what the store holds", "[cli][export][sqlite]") {
  const auto dir = test::temp_dir("export_sqlite");
  REQUIRE(test::clusterbench("run -q " + december_grid(dir)).first == 0);
  add_failed_run(dir + "/out.h5");
  const auto result = store::read_results(dir + "/out.h5");
  const std::string database = dir + "/grid.sqlite";
  const auto [code, out] = test::clusterbench("export " + dir + "/out.h5 --to " + database);
  INFO(out);
  REQUIRE(code == 0);
  CHECK_THAT(out, Catch::Contains("wrote " + database));
  REQUIRE(fs::exists(database));
  for (const auto& entry : fs::directory_iterator(dir)) CHECK(entry.path().string().find(".tmp-") == std::string::npos);

  const auto n = static_cast<std::size_t>(result.data.rows());
  std::size_t labelled_points = 0, labelled_runs = 0, profile_rows = 0;
  for (const auto& run : result.runs) {
    labelled_points += run.labels.size();
    labelled_runs += !run.labels.empty();
    if (run.profile) profile_rows += run.profile->clusters.rows.size();
  }
  REQUIRE(labelled_runs > 0);
  REQUIRE(labelled_runs + 1 == result.runs.size());  // the premise: the failed run has no labels, so no assignments
  CHECK(count_rows(database, "runs") == result.runs.size());
  CHECK(count_rows(database, "points") == n);
  CHECK(count_rows(database, "assignments") == labelled_points);
  CHECK(count_rows(database, "profiles") == profile_rows);
  CHECK(profile_rows > 0);
  CHECK(sql(database, "SELECT count(DISTINCT run_key) FROM assignments") == fmt::format("{}\n", labelled_runs));

  // The leaderboard's first run, row for row against the store.
  const auto best_key = lines_of(sql(database, "SELECT key FROM runs WHERE leaderboard_rank = 1")).at(0);
  const records::RunRecord* best = nullptr;
  for (const auto& run : result.runs)
    if (run.key == best_key) best = &run;
  REQUIRE(best != nullptr);
  CHECK(
      sql(database, "SELECT algorithm, space, k, k_found, status, eligible FROM runs WHERE key = '" + best_key + "'") ==
      fmt::format("{}|{}|{}|{}|{}|1\n", best->algorithm, best->space, best->k, best->k_found, best->status));
  CHECK(sql(database, "SELECT seed FROM runs WHERE key = '" + best_key + "'") == fmt::format("{}\n", best->seed));

  std::map<std::string, std::string> stored;  // exact text of every stored score and value
  for (const auto& [name, value] : best->scores) stored[name] = std::isnan(value) ? "null" : fmt::format("{}", value);
  for (const auto& [name, value] : best->values)
    if (!best->scores.count(name)) stored[name] = std::isnan(value) ? "null" : fmt::format("{}", value);
  const auto rows = lines_of(sql(database,
                                 "SELECT metric, CASE WHEN value IS NULL THEN 'null' ELSE printf('%!.17g', value) END"
                                 " FROM scores WHERE run_key = '" +
                                     best_key + "'"));
  CHECK(rows.size() == stored.size());
  for (const auto& row : rows) {
    const auto fields = fields_of(row, '|');
    REQUIRE(fields.size() == 2);
    INFO(row);
    REQUIRE(stored.count(fields[0]));
    const std::string exported =
        fields[1] == "null" ? "null" : fmt::format("{}", std::strtod(fields[1].c_str(), nullptr));
    CHECK(exported == stored.at(fields[0]));
  }

  // Every assignment of the best run is its stored label.
  const auto labels = lines_of(
      sql(database, "SELECT point, id, cluster FROM assignments WHERE run_key = '" + best_key + "' ORDER BY point"));
  REQUIRE(labels.size() == n);
  for (std::size_t i = 0; i < n; ++i)
    REQUIRE(labels[i] == fmt::format("{}|{}|{}", i, result.data.ids[i], best->labels[i]));
  // Cluster sizes and the profile's customers agree with the store.
  CHECK(sql(database, "SELECT group_concat(size, '/') FROM (SELECT size FROM clusters WHERE run_key = '" + best_key +
                          "' AND cluster >= 0 ORDER BY cluster)") ==
        fmt::format("{}\n", fmt::join(best->cluster_sizes, "/")));
  CHECK(sql(database, "SELECT sum(customers) FROM profiles WHERE run_key = '" + best_key + "'") ==
        fmt::format("{}\n", n));
  CHECK(sql(database, "SELECT sum(customers) FROM profile_segments WHERE run_key = '" + best_key + "'") ==
        fmt::format("{}\n", n));
  CHECK(sql(database, "SELECT value FROM metadata WHERE name = 'grid_name'") == "exports\n");
  CHECK(sql(database,
            "SELECT status, message, labelled_points IS NULL, leaderboard_rank IS NULL FROM runs "
            "WHERE key = '0failedrun'") == "failed|injected by the test|1|1\n");
}

TEST_CASE("export without -o writes the CSV to stdout and everything else to stderr", "[cli][export]") {
  const auto dir = test::temp_dir("export_stdout");
  REQUIRE(test::clusterbench("run -q " + december_grid(dir)).first == 0);
  const auto [code, csv, messages] = clusterbench_split(dir, "export " + dir + "/out.h5");
  INFO(messages);
  REQUIRE(code == 0);
  CHECK_THAT(messages, Catch::Contains("run "));
  CHECK_THAT(messages, Catch::Contains("rev_share"));  // the profile table
  REQUIRE(test::clusterbench("export " + dir + "/out.h5 -o " + dir + "/clusters.csv").first == 0);
  CHECK(csv == read_text(dir + "/clusters.csv"));

  // Parseable: a header, then one row per point whose fields are the store's, number for number.
  const auto result = store::read_results(dir + "/out.h5");
  const auto lines = lines_of(csv);
  REQUIRE(lines.size() == static_cast<std::size_t>(result.data.rows()) + 1);
  CHECK(lines[0] == "id,recency,frequency,monetary,cluster");
  for (Index i = 0; i < result.data.rows(); ++i) {
    const auto fields = fields_of(lines[static_cast<std::size_t>(i) + 1], ',');
    REQUIRE(fields.size() == 5);
    CHECK(fields[0] == result.data.ids[static_cast<std::size_t>(i)]);
    for (Index j = 0; j < 3; ++j)
      REQUIRE(std::strtod(fields[static_cast<std::size_t>(j) + 1].c_str(), nullptr) == result.data.values(i, j));
  }

  const auto [file_code, file_out, file_messages] =
      clusterbench_split(dir, "export " + dir + "/out.h5 -o " + dir + "/again.csv");
  REQUIRE(file_code == 0);
  CHECK_THAT(file_messages, Catch::Contains("wrote " + dir + "/again.csv"));
  CHECK(file_out.find("id,recency") == std::string::npos);
}

TEST_CASE("export writes floats as the shortest text that reads back to the same number", "[cli][export]") {
  const auto dir = test::temp_dir("export_floats");
  // 77183.6 is stored as 77183.600000000006 (17 digits); the CSV must say 77183.6.
  test::write_file(dir, "points.csv", "id,x,y\na,77183.6,0.1\nb,1e-300,2.5\nc,3,-0.30000000000000004\nd,5,7\n");
  REQUIRE(test::clusterbench("run -q " + test::write_file(dir, "grid.yaml",
                                                          "name: floats\noutput: " + dir +
                                                              "/out.h5\ndataset: {type: features, path: " + dir +
                                                              "/points.csv, id_column: id}\n"
                                                              "algorithms:\n  - {name: kmeans, k: 2}\n"))
              .first == 0);
  const auto [code, csv, messages] = clusterbench_split(dir, "export " + dir + "/out.h5");
  INFO(messages);
  REQUIRE(code == 0);
  const auto lines = lines_of(csv);
  REQUIRE(lines.size() == 5);
  CHECK_THAT(lines[1], Catch::StartsWith("a,77183.6,0.1,"));
  CHECK_THAT(lines[2], Catch::StartsWith("b,1e-300,2.5,"));
  CHECK_THAT(lines[3], Catch::StartsWith("c,3,-0.30000000000000004,"));
}

TEST_CASE("export --to an unwritable or failing target exits non-zero and leaves no file",
          "[cli][export][sqlite][bad-input]") {
  const auto dir = test::temp_dir("export_sqlite_bad");
  REQUIRE(test::clusterbench("run -q " + december_grid(dir)).first == 0);

  const auto [c1, o1] = test::clusterbench("export " + dir + "/out.h5 --to /proc/grid.sqlite");
  INFO(o1);
  CHECK(c1 == 4);
  CHECK_THAT(o1, Catch::Contains("/proc/grid.sqlite"));
  CHECK_FALSE(fs::exists("/proc/grid.sqlite"));

  // A write that fails half way (ulimit -f: past 64 KiB of the ~250 KiB database writes fail with
  // EFBIG, as a full disk fails with ENOSPC) names the file, SQLite's message and the system's
  // reason, and keeps the existing database.
  const std::string database = dir + "/grid.sqlite";
  test::write_file(dir, "grid.sqlite", "the previous export");
  const auto [c2, o2] = test::run_command("cd '" + dir + "' && (ulimit -f 64; exec '" CB_EXECUTABLE "' export " + dir +
                                          "/out.h5 --to " + database + ") 2>&1");
  INFO(o2);
  CHECK(c2 == 4);
  CHECK_THAT(o2, Catch::Contains(database + ": sqlite: "));
  CHECK_THAT(o2, Catch::Contains("File too large"));
  CHECK(read_text(database) == "the previous export");
  for (const auto& entry : fs::directory_iterator(dir)) CHECK(entry.path().string().find(".tmp-") == std::string::npos);

  // Success replaces it.
  REQUIRE(test::clusterbench("export " + dir + "/out.h5 --to " + database).first == 0);
  CHECK(count_rows(database, "runs") == store::read_results(dir + "/out.h5").runs.size());

  const auto [c3, o3] = test::clusterbench("export " + dir + "/out.h5 --to " + dir + "/grid.csv");
  CHECK(c3 == 2);
  CHECK_THAT(o3, Catch::Contains(".sqlite"));
  const auto [c4, o4] = test::clusterbench("export " + dir + "/out.h5 --to " + database + " -o " + dir + "/x.csv");
  CHECK(c4 == 2);
  CHECK_FALSE(fs::exists(dir + "/x.csv"));
}
