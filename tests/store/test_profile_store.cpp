#include <catch2/catch.hpp>

#include <filesystem>

#include "clusterbench/grid/config.hpp"
#include "clusterbench/grid/run_profiles.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/store/result_store.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

records::GridResult transactions_grid() {
  const auto config = grid::parse_config(R"(name: p
dataset:
  type: transactions
  path: )" CB_SOURCE_DIR R"(/data/transactions/online_retail_2010-12.csv
preprocess:
  log1p: [recency, frequency, monetary]
spaces: [raw, {name: pca, params: {n_components: 2}}]
algorithms:
  - {name: kmeans, k: [2, 4], params: {n_init: 2}}
  - {name: dbscan, k: [2, 3], params: {min_samples: 5}}
)",
                                         "p.yaml");
  return grid::run_grid(config, {});
}

void require_equal(const records::RunProfile& a, const records::RunProfile& b) {
  REQUIRE(a.clusters.customers == b.clusters.customers);
  REQUIRE(a.clusters.revenue == b.clusters.revenue);
  REQUIRE(a.clusters.rows.size() == b.clusters.rows.size());
  for (std::size_t g = 0; g < a.clusters.rows.size(); ++g) {
    const auto &x = a.clusters.rows[g], &y = b.clusters.rows[g];
    REQUIRE(x.label == y.label);
    REQUIRE(x.customers == y.customers);
    REQUIRE(x.share == y.share);
    REQUIRE(x.revenue == y.revenue);
    REQUIRE(x.revenue_share == y.revenue_share);
    REQUIRE(x.average_ticket == y.average_ticket);
    REQUIRE(x.mean_recency == y.mean_recency);
    REQUIRE(x.mean_frequency == y.mean_frequency);
    REQUIRE(x.mean_monetary == y.mean_monetary);
    REQUIRE(x.mean_r == y.mean_r);
    REQUIRE(x.mean_f == y.mean_f);
    REQUIRE(x.mean_m == y.mean_m);
  }
  REQUIRE(a.by_segment.row_names == b.by_segment.row_names);
  REQUIRE(a.by_segment.column_names == b.by_segment.column_names);
  REQUIRE(a.by_segment.counts == b.by_segment.counts);
}

std::string python(const std::string& code) {
  const auto [rc, out] = test::run_command(std::string(CB_PYTHON) + " -c '" + code + "'");
  INFO(out);
  REQUIRE(rc == 0);
  return out;
}

}  // namespace

TEST_CASE("stored profiles read back equal and equal a recomputation from the stored labels", "[store][profiles]") {
  const auto result = transactions_grid();
  const auto path = test::temp_dir("profiles") + "/out.h5";
  store::write_results(path, result);
  const auto back = store::read_results(path);
  REQUIRE(back.customers);
  REQUIRE(back.customers->segment_names == result.customers->segment_names);
  REQUIRE(back.customers->segment == result.customers->segment);
  REQUIRE(back.customers->scores.r == result.customers->scores.r);
  REQUIRE(back.customers->rfm.values == result.customers->rfm.values);
  REQUIRE(back.customers->segment_table == "standard11");
  REQUIRE(back.runs.size() == result.runs.size());
  std::size_t profiled = 0;
  for (std::size_t i = 0; i < back.runs.size(); ++i) {
    const auto& run = back.runs[i];
    REQUIRE(run.profile.has_value() == !run.labels.empty());
    if (!run.profile) continue;
    require_equal(*run.profile, *result.runs[i].profile);
    require_equal(*run.profile, grid::profile_run(*back.customers, run.labels));
    ++profiled;
  }
  REQUIRE(profiled >= 8);

  // A reader that skips labels and data still gets every profile (rank, profile commands).
  store::ReadOptions light;
  light.labels = false;
  light.data = false;
  const auto small = store::read_results(path, light);
  for (std::size_t i = 0; i < small.runs.size(); ++i)
    if (back.runs[i].profile) require_equal(*small.runs[i].profile, *back.runs[i].profile);
}

TEST_CASE("pandas recomputes every stored profile from /labels and /customers", "[store][profiles][python]") {
  const auto result = transactions_grid();
  const auto path = test::temp_dir("profiles_py") + "/out.h5";
  store::write_results(path, result);
  std::size_t profiled = 0;
  for (const auto& run : result.runs) profiled += run.profile.has_value();
  const auto out = test::run_python("profile_reference.py", {path});
  REQUIRE(out.find("profiles checked " + std::to_string(profiled)) != std::string::npos);
}

TEST_CASE("a results file without transactions has no /customers and no /profiles", "[store][profiles]") {
  const auto config = grid::parse_config(R"(dataset:
  type: benchmark
  path: )" CB_SOURCE_DIR R"(/data/benchmarks/other-iris.data.gz
algorithms:
  - {name: kmeans, k: [2, 3]}
)",
                                         "q.yaml");
  const auto path = test::temp_dir("noprofiles") + "/out.h5";
  store::write_results(path, grid::run_grid(config, {}));
  const auto back = store::read_results(path);
  REQUIRE_FALSE(back.customers);
  for (const auto& run : back.runs) REQUIRE_FALSE(run.profile);
  const auto out =
      python("import h5py; f = h5py.File(\"" + path + "\", \"r\"); print(sorted(f), f.attrs[\"schema_version\"])");
  REQUIRE(out == "['data', 'labels', 'models', 'runs', 'spaces'] 3\n");
}

TEST_CASE("a schema 1 results file (before profiles) is still read", "[store][profiles]") {
  const auto path = test::temp_dir("schema1") + "/out.h5";
  store::write_results(path, transactions_grid());
  python("import h5py; f = h5py.File(\"" + path +
         "\", \"a\"); del f[\"profiles\"]; del f[\"customers\"]; f.attrs[\"schema_version\"] = 1; f.close()");
  const auto back = store::read_results(path);
  REQUIRE_FALSE(back.customers);
  REQUIRE(back.runs.size() == 10);
  for (const auto& run : back.runs) REQUIRE_FALSE(run.profile);
  python("import h5py; f = h5py.File(\"" + path + "\", \"a\"); f.attrs[\"schema_version\"] = 4; f.close()");
  REQUIRE_THROWS_WITH(store::read_results(path),
                      Catch::Contains("schema version 4 is not supported (this build reads 1 to 3)"));
}
