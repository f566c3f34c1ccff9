// The synthetic log generator: seeded, messy in the documented ways, and read
// back into the same R/F/M as pandas computes.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "clusterbench/io/transactions_generator.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/features.hpp"
#include "support/test_support.hpp"

using namespace cb;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the log generator is seeded: same seed, same bytes", "[rfm]") {
  const auto dir = test::temp_dir("generator");
  io::LogGeneratorOptions o;
  o.rows = 5000;
  io::generate_transaction_log(dir + "/a.csv", o);
  io::generate_transaction_log(dir + "/b.csv", o);
  o.seed = 2;
  io::generate_transaction_log(dir + "/c.csv", o);
  CHECK(slurp(dir + "/a.csv") == slurp(dir + "/b.csv"));
  CHECK(slurp(dir + "/a.csv") != slurp(dir + "/c.csv"));
}

TEST_CASE("a generated log has the documented mess and matches pandas after cleaning", "[rfm]") {
  const auto path = test::temp_dir("generated") + "/log.csv.gz";
  io::LogGeneratorOptions o;
  o.rows = 40000;
  o.customers = 800;
  const auto stats = io::generate_transaction_log(path, o);
  CHECK(stats.rows >= o.rows);
  const auto two = make_parallel_executor(2);
  io::LogReaderOptions small;
  small.block_bytes = 16 * 1024;
  small.batch_bytes = 256 * 1024;
  const auto agg = rfm::read_and_aggregate(path, {}, {}, *two, small);
  const auto& r = agg.report;
  CHECK(r.rows_read == stats.rows);
  for (auto rule :
       {rfm::Rule::missing_customer, rfm::Rule::cancellation, rfm::Rule::non_positive_price, rfm::Rule::duplicate})
    CHECK(r.steps[static_cast<std::size_t>(rule)].rows_removed > 0);
  // Serial with default blocks gives the same bits.
  const auto table = rfm::customer_features(agg);
  const auto serial = rfm::customer_features(rfm::read_and_aggregate(path, {}, {}, serial_executor()));
  CHECK(table.features.ids == serial.features.ids);
  CHECK((table.features.values.array() == serial.features.values.array()).all());
  // Heavy tail: the top 1% of customers bring a large share of the invoices.
  std::vector<double> freq(table.features.values.col(1).data(),
                           table.features.values.col(1).data() + table.features.rows());
  std::sort(freq.rbegin(), freq.rend());
  double top = 0, all = 0;
  for (std::size_t i = 0; i < freq.size(); ++i) (i < freq.size() / 100 ? top : all) += freq[i];
  CHECK(top / (top + all) > 0.1);

  std::istringstream expected(test::run_python("rfm_reference.py", {path}));
  std::map<std::string, std::array<double, 3>> reference;
  std::string id;
  double rec, f, m;
  while (expected >> id >> rec >> f >> m) reference[id] = {rec, f, m};
  REQUIRE(reference.size() == static_cast<std::size_t>(table.features.rows()));
  std::size_t mismatches = 0;
  for (Index i = 0; i < table.features.rows(); ++i) {
    const auto& want = reference.at(table.features.ids[static_cast<std::size_t>(i)]);
    const auto& v = table.features.values;
    if (v(i, 0) != want[0] || v(i, 1) != want[1] ||
        std::abs(v(i, 2) - want[2]) > 1e-9 * std::max(1.0, std::abs(want[2])))
      ++mismatches;
  }
  CHECK(mismatches == 0);
}
