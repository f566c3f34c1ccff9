#include "clusterbench/rfm/migration.hpp"

#include <unordered_map>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/rfm/aggregate.hpp"
#include "clusterbench/rfm/features.hpp"

namespace cb::rfm {
namespace {

std::unordered_map<std::string, std::size_t> index_ids(const Dataset& d) {
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(d.ids.size());
  for (std::size_t i = 0; i < d.ids.size(); ++i)
    if (!index.emplace(d.ids[i], i).second)
      throw InputError(fmt::format("{}: customer id '{}' appears twice; migration joins by id", d.source, d.ids[i]));
  return index;
}

}  // namespace

Migration migrate(const Dataset& before, const Dataset& after, const SegmentTable& table,
                  const MigrationOptions& options) {
  if (before.ids.size() != static_cast<std::size_t>(before.rows()) ||
      after.ids.size() != static_cast<std::size_t>(after.rows()))
    throw InputError("migration needs one customer id per row in both snapshots");
  const RfmScores first = score(before, options.scoring);
  const RfmScores second = options.pinned ? score_pinned(after, first.cuts) : score(after, options.scoring);
  const SegmentAssignment a = assign_segments(before, first, table);
  const SegmentAssignment b = assign_segments(after, second, table);
  const auto first_index = index_ids(before);
  const auto second_index = index_ids(after);

  Migration m;
  m.from_names = a.names;
  m.from_names.emplace_back(kNewRow);
  m.to_names = b.names;
  m.to_names.emplace_back(kChurnedColumn);
  const auto new_row = static_cast<Index>(m.from_names.size() - 1);
  const auto churned_column = static_cast<Index>(m.to_names.size() - 1);
  m.counts = Matrix::Zero(new_row + 1, churned_column + 1);
  for (std::size_t i = 0; i < before.ids.size(); ++i) {
    const auto it = second_index.find(before.ids[i]);
    const Index to = it == second_index.end() ? churned_column : b.segment[it->second];
    m.counts(a.segment[i], to) += 1;
    if (it == second_index.end()) ++m.churned;
    else ++m.retained;
  }
  for (std::size_t j = 0; j < after.ids.size(); ++j)
    if (!first_index.count(after.ids[j])) {
      m.counts(new_row, b.segment[j]) += 1;
      ++m.new_customers;
    }
  m.row_shares = m.counts;
  for (Index r = 0; r < m.counts.rows(); ++r) {
    const double total = m.counts.row(r).sum();
    if (total > 0) m.row_shares.row(r) /= total;
  }
  return m;
}

Migration migrate_log(const std::string& path, const io::LogSchema& schema, const CleaningOptions& cleaning,
                      io::Day first_snapshot, io::Day second_snapshot, const SegmentTable& table,
                      const MigrationOptions& options, const Executor& executor) {
  if (second_snapshot <= first_snapshot)
    throw InputError(fmt::format("migration: the second snapshot ({}) must be after the first ({})",
                                 io::format_day(second_snapshot), io::format_day(first_snapshot)));
  auto features_at = [&](io::Day snapshot) {
    CleaningOptions c = cleaning;
    c.before = c.before ? std::min(*c.before, snapshot) : snapshot;
    return customer_features(read_and_aggregate(path, schema, c, executor), FeatureOptions{snapshot}).features;
  };
  return migrate(features_at(first_snapshot), features_at(second_snapshot), table, options);
}

}  // namespace cb::rfm
