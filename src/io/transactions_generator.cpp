#include "clusterbench/io/transactions_generator.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/rng.hpp"
#include "clusterbench/io/transactions_dates.hpp"

namespace cb::io {
namespace {

class Output {
 public:
  explicit Output(const std::string& path) : path_(path) {
    gzip_ = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    if (gzip_) gz_ = gzopen(path.c_str(), "wb6");
    else plain_ = std::fopen(path.c_str(), "wb");
    if (!gz_ && !plain_) throw IoError(fmt::format("{}: cannot create file", path));
  }
  ~Output() {
    if (gz_) gzclose(gz_);
    if (plain_) std::fclose(plain_);
  }
  void write(const fmt::memory_buffer& buffer) {
    const bool ok =
        gzip_ ? gzwrite(gz_, buffer.data(), static_cast<unsigned>(buffer.size())) == static_cast<int>(buffer.size())
              : std::fwrite(buffer.data(), 1, buffer.size(), plain_) == buffer.size();
    if (!ok) throw IoError(fmt::format("{}: write failed", path_));
  }

 private:
  std::string path_;
  bool gzip_ = false;
  gzFile gz_ = nullptr;
  std::FILE* plain_ = nullptr;
};

/// Draws from a discrete distribution given by cumulative weights.
std::size_t draw(const std::vector<double>& cumulative, Rng& rng) {
  const double u = rng.uniform() * cumulative.back();
  return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
}

std::vector<double> zipf_cumulative(std::size_t n, double exponent) {
  std::vector<double> c(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) c[i] = sum += 1.0 / std::pow(static_cast<double>(i + 1), exponent);
  return c;
}

const char* const kCountries[] = {"United Kingdom", "Germany",     "France",   "EIRE",      "Spain",  "Netherlands",
                                  "Belgium",        "Switzerland", "Portugal", "Australia", "Norway", "Italy"};
const char* const kNonProduct[] = {"POST", "M", "D", "DOT", "BANK CHARGES", "C2", "AMAZONFEE"};

}  // namespace

LogGeneratorStats generate_transaction_log(const std::string& path, const LogGeneratorOptions& o) {
  if (o.customers == 0 || o.products == 0 || o.days <= 0 || o.mean_lines < 1)
    throw InputError("log generator: customers, products, days must be positive and mean_lines >= 1");
  Rng rng(o.seed);
  const Day first = parse_day(o.first_day, "log generator first_day");
  // Customers: a random permutation of ids so popularity is not ordered by id; a
  // log-normal spend multiplier and a home country each.
  std::vector<std::uint32_t> customer_id(o.customers);
  for (std::size_t i = 0; i < o.customers; ++i) customer_id[i] = static_cast<std::uint32_t>(12346 + i);
  for (std::size_t i = o.customers; i > 1; --i) std::swap(customer_id[i - 1], customer_id[rng.below(i)]);
  std::vector<double> spend(o.customers);
  std::vector<std::uint8_t> country(o.customers);
  for (std::size_t i = 0; i < o.customers; ++i) {
    spend[i] = std::exp(0.8 * rng.normal());
    country[i] = rng.uniform() < 0.85 ? 0 : static_cast<std::uint8_t>(1 + rng.below(std::size(kCountries) - 1));
  }
  const auto customer_weights = zipf_cumulative(o.customers, o.customer_zipf);
  const auto product_weights = zipf_cumulative(o.products, 0.9);
  std::vector<double> product_price(o.products);
  for (auto& p : product_price) p = std::round(std::exp(0.9 + 0.9 * rng.normal()) * 100.0) / 100.0 + 0.01;

  Output out(path);
  fmt::memory_buffer buffer;
  fmt::format_to(std::back_inserter(buffer),
                 "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
  LogGeneratorStats stats;
  std::uint64_t invoice = 536365;
  const double p_continue = 1.0 - 1.0 / o.mean_lines;
  while (stats.rows < o.rows) {
    const std::size_t c = draw(customer_weights, rng);
    const bool missing = rng.uniform() < o.missing_id_rate;
    const bool cancel = rng.uniform() < o.cancellation_rate;
    const Timestamp when =
        static_cast<Timestamp>(first + static_cast<Day>(rng.below(static_cast<std::uint64_t>(o.days)))) * 86400 +
        (8 * 60 + static_cast<Timestamp>(rng.below(10 * 60))) * 60;
    const std::string date =
        fmt::format("{} {:02d}:{:02d}:00", format_day(day_of(when)), (when % 86400) / 3600, (when % 3600) / 60);
    const std::string cust = missing ? std::string() : fmt::format("{}.0", customer_id[c]);
    const char* country_name = kCountries[country[c]];
    ++stats.invoices;
    ++invoice;
    do {
      const bool non_product = rng.uniform() < o.non_product_rate;
      std::string code;
      double price;
      if (non_product) {
        code = kNonProduct[rng.below(std::size(kNonProduct))];
        price = std::round(std::exp(2.0 + rng.normal()) * 100.0) / 100.0 + 0.01;
      } else {
        const std::size_t p = draw(product_weights, rng);
        code = fmt::format("{}", 20000 + p);
        price = product_price[p];
      }
      if (rng.uniform() < o.zero_price_rate) price = 0;
      // Pareto quantity, scaled by the customer's spend multiplier.
      const double pareto = std::pow(1.0 - rng.uniform(), -1.0 / o.quantity_pareto);
      long quantity = std::max(1L, std::lround(pareto * spend[c] * 2.0));
      if (cancel) quantity = -quantity;
      const auto line_start = buffer.size();
      fmt::format_to(std::back_inserter(buffer), "{}{},{},\"ITEM {}, SIZE {}\",{},{},{},{},{}\n", cancel ? "C" : "",
                     invoice, code, code, 1 + rng.below(3), quantity, date, price, cust, country_name);
      ++stats.rows;
      if (rng.uniform() < o.duplicate_rate) {
        const std::string line(buffer.data() + line_start, buffer.size() - line_start);
        buffer.append(line.data(), line.data() + line.size());
        ++stats.rows;
      }
      if (buffer.size() > (std::size_t{4} << 20)) {
        stats.bytes += buffer.size();
        out.write(buffer);
        buffer.clear();
      }
    } while (rng.uniform() < p_continue);
  }
  stats.bytes += buffer.size();
  out.write(buffer);
  return stats;
}

}  // namespace cb::io
