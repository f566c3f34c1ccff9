// Cleaning + per-customer aggregation over the reader's blocks. Customers are
// sharded by a hash of their id; each shard is owned by one task that visits
// the batch's rows in file order, so every sum is accumulated in the same order
// whatever the thread count (bit-identical results).
#include "clusterbench/rfm/aggregate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::rfm {
namespace {

constexpr int kShardBits = 6;
constexpr std::size_t kShards = std::size_t{1} << kShardBits;
constexpr std::uint8_t kKept = kRuleCount;  // stage of a row that passed every rule
constexpr std::uint8_t kDuplicateStage = static_cast<std::uint8_t>(Rule::duplicate);

/// Open-addressing set of 64-bit values (0 is remapped, so it can mark empty slots).
class FingerprintSet {
 public:
  /// Inserts; returns false when already present.
  bool insert(std::uint64_t v) {
    if (v == 0) v = 1;
    if ((size_ + 1) * 2 > slots_.size()) grow();
    std::size_t i = v & (slots_.size() - 1);
    for (;; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == v) return false;
      if (slots_[i] == 0) {
        slots_[i] = v;
        ++size_;
        return true;
      }
    }
  }

  /// Hints the cache about the slot a later insert(v) will probe first.
  void prefetch(std::uint64_t v) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[(v == 0 ? 1 : v) & (slots_.size() - 1)]);
  }

 private:
  void grow() {
    std::vector<std::uint64_t> old = std::move(slots_);
    slots_.assign(std::max<std::size_t>(1024, old.size() * 2), 0);
    size_ = 0;
    for (auto v : old)
      if (v) insert(v);
  }
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

/// Key of a (customer, value) pair in a shard-wide distinct set: counting
/// distinct invoices and products per customer needs one hash set per shard,
/// not one container per customer.
std::uint64_t pair_key(std::uint64_t customer_hash, std::uint64_t value_hash, std::uint64_t salt) {
  std::uint64_t z = value_hash ^ salt ^ (customer_hash * 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9ULL;
  return z ^ (z >> 29);
}
constexpr std::uint64_t kInvoiceSalt = 0x1F2E3D4C5B6A7988ULL;
constexpr std::uint64_t kProductSalt = 0x8A7B6C5D4E3F2011ULL;

struct Accumulator {
  std::string id;
  std::string country;
  io::Timestamp first = std::numeric_limits<io::Timestamp>::max();
  io::Timestamp last = std::numeric_limits<io::Timestamp>::min();
  double revenue = 0, items = 0, returns_value = 0;
  std::size_t rows = 0, returns = 0;
  std::uint8_t max_stage = 0;
  bool has_country = false;
  std::uint64_t last_invoice = 0;
  std::size_t invoices = 0, products = 0;  // distinct counts, via the shard's pair set
};

struct Shard {
  std::vector<std::uint64_t> slot_hash;  // open addressing: customer hash -> index + 1
  std::vector<std::uint32_t> slot_index;
  std::vector<Accumulator> customers;
  FingerprintSet seen;
  FingerprintSet pairs;  // (customer, invoice) and (customer, product) already counted
  std::array<std::size_t, kRuleCount + 1> rows_at_stage{};

  /// The accumulator of a customer and its index within the shard.
  std::pair<Accumulator*, std::size_t> find_or_add(std::uint64_t hash, std::string_view id) {
    if ((customers.size() + 1) * 2 > slot_hash.size()) rehash();
    const std::size_t mask = slot_hash.size() - 1;
    for (std::size_t i = (hash >> kShardBits) & mask;; i = (i + 1) & mask) {
      if (slot_index[i] == 0) {
        slot_hash[i] = hash;
        customers.emplace_back();
        customers.back().id.assign(id);
        slot_index[i] = static_cast<std::uint32_t>(customers.size());
        return {&customers.back(), customers.size() - 1};
      }
      if (slot_hash[i] == hash && customers[slot_index[i] - 1].id == id)
        return {&customers[slot_index[i] - 1], slot_index[i] - 1};
    }
  }

  void rehash() {
    const std::size_t size = std::max<std::size_t>(256, slot_hash.size() * 2);
    slot_hash.assign(size, 0);
    slot_index.assign(size, 0);
    for (std::size_t c = 0; c < customers.size(); ++c) {
      const std::uint64_t h = io::hash_bytes(customers[c].id);
      for (std::size_t i = (h >> kShardBits) & (size - 1);; i = (i + 1) & (size - 1))
        if (slot_index[i] == 0) {
          slot_hash[i] = h;
          slot_index[i] = static_cast<std::uint32_t>(c + 1);
          break;
        }
    }
  }
};

/// Per-row facts computed in parallel over blocks before the shard pass.
struct RowMeta {
  std::uint64_t customer_hash;
  std::uint64_t invoice_hash;  // never 0 when the schema has invoices
  std::uint64_t product_key;   // pair_key(customer, product)
  std::uint8_t pre_stage;      // first failed rule before `duplicate`, or kDuplicateStage
  std::uint8_t post_stage;     // first failed rule after `duplicate`, or kKept
};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool in_code_list(std::string_view code, const std::vector<std::string>& list) {
  for (const auto& entry : list) {
    if (!entry.empty() && entry.back() == '*') {
      if (starts_with(code, std::string_view(entry).substr(0, entry.size() - 1))) return true;
    } else if (code == entry) {
      return true;
    }
  }
  return false;
}

std::string_view strip_zeros(std::string_view s) {
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const std::string kMissingId = "(missing)";

}  // namespace

bool customer_id_less(const std::string& a, const std::string& b) {
  const bool da = all_digits(a), db = all_digits(b);
  if (da != db) return da;
  if (!da) return a < b;
  const auto sa = strip_zeros(a), sb = strip_zeros(b);
  if (sa.size() != sb.size()) return sa.size() < sb.size();
  if (sa != sb) return sa < sb;
  return a < b;
}

LogAggregate read_and_aggregate(const std::string& path, const io::LogSchema& schema, const CleaningOptions& cleaning,
                                const Executor& executor, const io::LogReaderOptions& reader) {
  const bool has_invoice = !schema.invoice_column.empty();
  const bool has_product = !schema.product_column.empty();
  const io::Timestamp since =
      cleaning.since ? static_cast<io::Timestamp>(*cleaning.since) * 86400 : std::numeric_limits<io::Timestamp>::min();
  const io::Timestamp before = cleaning.before ? static_cast<io::Timestamp>(*cleaning.before) * 86400
                                               : std::numeric_limits<io::Timestamp>::max();

  auto pre_stage = [&](const io::Transaction& t) -> std::uint8_t {
    if (t.time < since || t.time >= before) return static_cast<std::uint8_t>(Rule::outside_window);
    if (cleaning.drop_missing_customer && t.customer.empty()) return static_cast<std::uint8_t>(Rule::missing_customer);
    if (cleaning.drop_cancellations && !cleaning.cancellation_prefix.empty() &&
        starts_with(t.invoice, cleaning.cancellation_prefix))
      return static_cast<std::uint8_t>(Rule::cancellation);
    if (cleaning.drop_non_positive_quantity && !(t.quantity > 0))
      return static_cast<std::uint8_t>(Rule::non_positive_quantity);
    if (cleaning.drop_non_positive_price && !(t.price > 0)) return static_cast<std::uint8_t>(Rule::non_positive_price);
    return kDuplicateStage;
  };
  auto post_stage = [&](const io::Transaction& t) -> std::uint8_t {
    if (cleaning.drop_non_product_codes && in_code_list(t.product, cleaning.non_product_codes))
      return static_cast<std::uint8_t>(Rule::non_product_code);
    if (cleaning.drop_excluded_countries &&
        std::find(cleaning.excluded_countries.begin(), cleaning.excluded_countries.end(), t.country) !=
            cleaning.excluded_countries.end())
      return static_cast<std::uint8_t>(Rule::excluded_country);
    return kKept;
  };

  std::vector<Shard> shards(kShards);
  std::array<std::size_t, kRuleCount + 1> rows_without_customer{};  // rows never routed to a shard, by stage

  std::vector<std::vector<RowMeta>> metas;
  std::vector<std::array<std::vector<std::uint32_t>, kShards>> routes;
  auto consume = [&](std::span<const io::TransactionBlock> blocks) {
    const std::size_t n_blocks = blocks.size();
    metas.resize(n_blocks);
    routes.resize(n_blocks);
    std::vector<std::array<std::size_t, kRuleCount + 1>> unrouted(n_blocks);
    // Phase 1, parallel over blocks: stateless rules, customer hash, shard lists.
    executor.for_chunks(n_blocks, 1, [&](std::size_t b, Range) {
      const auto& rows = blocks[b].rows;
      auto& meta = metas[b];
      auto& route = routes[b];
      meta.resize(rows.size());
      for (auto& r : route) r.clear();
      unrouted[b].fill(0);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& t = rows[i];
        RowMeta m;
        m.pre_stage = pre_stage(t);
        m.post_stage = post_stage(t);
        if (t.customer.empty() && (cleaning.drop_missing_customer || m.pre_stage == 0)) {
          ++unrouted[b][m.pre_stage];  // rows without an id never make a customer
          continue;
        }
        const std::string_view id = t.customer.empty() ? std::string_view(kMissingId) : t.customer;
        m.customer_hash = io::hash_bytes(id);
        m.invoice_hash = has_invoice ? (io::hash_bytes(t.invoice) | 1) : 0;
        m.product_key = has_product ? pair_key(m.customer_hash, io::hash_bytes(t.product), kProductSalt) : 0;
        meta[i] = m;
        route[m.customer_hash & (kShards - 1)].push_back(static_cast<std::uint32_t>(i));
      }
    });
    for (const auto& u : unrouted)
      for (std::size_t s = 0; s <= kRuleCount; ++s) rows_without_customer[s] += u[s];
    // Phase 2, parallel over shards: each shard sees its rows in file order.
    executor.for_chunks(kShards, 1, [&](std::size_t s, Range) {
      Shard& shard = shards[s];
      for (std::size_t b = 0; b < n_blocks; ++b) {
        const auto& rows = blocks[b].rows;
        const auto& list = routes[b][s];
        constexpr std::size_t kAhead = 8;  // rows to prefetch ahead: hash probes are cache misses
        for (std::size_t k = 0; k < list.size(); ++k) {
          if (k + kAhead < list.size()) {
            const std::uint32_t a = list[k + kAhead];
            shard.seen.prefetch(rows[a].fingerprint);
            shard.pairs.prefetch(metas[b][a].product_key);
          }
          const std::uint32_t i = list[k];
          const io::Transaction& t = rows[i];
          const RowMeta& m = metas[b][i];
          Accumulator& acc =
              *shard.find_or_add(m.customer_hash, t.customer.empty() ? std::string_view(kMissingId) : t.customer).first;
          std::uint8_t stage = m.pre_stage;
          if (stage == kDuplicateStage) {
            stage = (cleaning.drop_duplicates && !shard.seen.insert(t.fingerprint)) ? kDuplicateStage : m.post_stage;
          }
          ++shard.rows_at_stage[stage];
          acc.max_stage = std::max(acc.max_stage, stage);
          if (stage == static_cast<std::uint8_t>(Rule::cancellation) ||
              stage == static_cast<std::uint8_t>(Rule::non_positive_quantity)) {
            ++acc.returns;
            acc.returns_value += std::abs(t.amount);
            continue;
          }
          if (stage != kKept) continue;
          acc.revenue += t.amount;
          acc.items += t.quantity;
          ++acc.rows;
          acc.first = std::min(acc.first, t.time);
          acc.last = std::max(acc.last, t.time);
          if (!acc.has_country) {
            acc.country.assign(t.country);
            acc.has_country = true;
          }
          if (has_invoice) {
            const std::uint64_t h = m.invoice_hash;  // never 0, the "none yet" mark
            if (h != acc.last_invoice) {             // rows of one invoice are usually consecutive
              acc.invoices += shard.pairs.insert(pair_key(m.customer_hash, h, kInvoiceSalt));
              acc.last_invoice = h;
            }
          }
          if (has_product) acc.products += shard.pairs.insert(m.product_key);
        }
      }
    });
  };

  const io::LogReadStats stats = io::read_transaction_log(path, schema, executor, consume, reader);

  // Report: rows removed per stage; customers by the furthest stage any of their rows reached.
  LogAggregate out;
  out.source = path;
  CleaningReport& report = out.report;
  report.rows_read = stats.rows;
  std::array<std::size_t, kRuleCount + 1> rows_at = rows_without_customer;
  std::array<std::size_t, kRuleCount + 1> customers_reaching{};  // customers whose max stage == s
  for (const auto& shard : shards) {
    for (std::size_t s = 0; s <= kRuleCount; ++s) rows_at[s] += shard.rows_at_stage[s];
    for (const auto& acc : shard.customers) ++customers_reaching[acc.max_stage];
    report.customers_in_log += shard.customers.size();
  }
  const bool enabled[kRuleCount] = {cleaning.since.has_value() || cleaning.before.has_value(),
                                    cleaning.drop_missing_customer,
                                    cleaning.drop_cancellations,
                                    cleaning.drop_non_positive_quantity,
                                    cleaning.drop_non_positive_price,
                                    cleaning.drop_duplicates,
                                    cleaning.drop_non_product_codes,
                                    cleaning.drop_excluded_countries};
  std::size_t rows_left = stats.rows;
  std::size_t customers_left = report.customers_in_log;
  for (int r = 0; r < kRuleCount; ++r) {
    CleaningStep step;
    step.rule = std::string(rule_name(static_cast<Rule>(r)));
    step.enabled = enabled[r];
    step.rows_removed = rows_at[static_cast<std::size_t>(r)];
    rows_left -= step.rows_removed;
    step.rows_after = rows_left;
    step.customers_removed = customers_reaching[static_cast<std::size_t>(r)];
    customers_left -= step.customers_removed;
    step.customers_after = customers_left;
    report.steps.push_back(step);
  }
  for (const auto& shard : shards) {
    report.return_rows += shard.rows_at_stage[static_cast<std::size_t>(Rule::cancellation)] +
                          shard.rows_at_stage[static_cast<std::size_t>(Rule::non_positive_quantity)];
  }
  report.rows_kept = rows_left;
  report.customers_kept = customers_left;
  if (customers_left == 0)
    throw InputError(fmt::format("{}: no customer left after cleaning ({} rows read, {} customer ids)", path,
                                 stats.rows, report.customers_in_log));

  out.customers.reserve(customers_left);
  out.first_time = std::numeric_limits<io::Timestamp>::max();
  out.last_time = std::numeric_limits<io::Timestamp>::min();
  for (auto& shard : shards)
    for (auto& acc : shard.customers) {
      if (acc.max_stage != kKept) continue;
      CustomerAggregate c;
      c.id = std::move(acc.id);
      c.country = std::move(acc.country);
      c.first_purchase = acc.first;
      c.last_purchase = acc.last;
      c.revenue = acc.revenue;
      c.items = acc.items;
      c.rows = acc.rows;
      c.invoices = has_invoice ? acc.invoices : acc.rows;
      c.products = acc.products;
      c.returns = acc.returns;
      c.returns_value = acc.returns_value;
      out.first_time = std::min(out.first_time, c.first_purchase);
      out.last_time = std::max(out.last_time, c.last_purchase);
      out.customers.push_back(std::move(c));
    }
  std::sort(out.customers.begin(), out.customers.end(),
            [](const CustomerAggregate& a, const CustomerAggregate& b) { return customer_id_less(a.id, b.id); });
  return out;
}

}  // namespace cb::rfm
