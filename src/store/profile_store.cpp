#include "profile_store.hpp"

#include <iterator>
#include <map>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "h5_handles.hpp"

namespace cb::store {
namespace {

const char* const kRfmColumns[] = {"recency", "frequency", "monetary"};

/// The numeric columns of a profile, in the order they are written.
struct ProfileColumn {
  const char* name;
  double rfm::ProfileRow::*field;
};
constexpr ProfileColumn kProfileColumns[] = {
    {"share", &rfm::ProfileRow::share},
    {"revenue", &rfm::ProfileRow::revenue},
    {"revenue_share", &rfm::ProfileRow::revenue_share},
    {"average_ticket", &rfm::ProfileRow::average_ticket},
    {"mean_recency", &rfm::ProfileRow::mean_recency},
    {"mean_frequency", &rfm::ProfileRow::mean_frequency},
    {"mean_monetary", &rfm::ProfileRow::mean_monetary},
    {"mean_r", &rfm::ProfileRow::mean_r},
    {"mean_f", &rfm::ProfileRow::mean_f},
    {"mean_m", &rfm::ProfileRow::mean_m},
};

std::vector<int> as_ints(const std::vector<long long>& v) { return {v.begin(), v.end()}; }

}  // namespace

void write_customers(hid_t file, const records::CustomerSegments& c) {
  auto group = h5::create_group(file, "customers");
  for (Index j = 0; j < 3; ++j) {
    std::vector<double> column(static_cast<std::size_t>(c.rfm.rows()));
    for (Index i = 0; i < c.rfm.rows(); ++i) column[static_cast<std::size_t>(i)] = c.rfm.values(i, j);
    h5::write_doubles(group, kRfmColumns[j], column);
  }
  h5::write_ints(group, "r", c.scores.r);
  h5::write_ints(group, "f", c.scores.f);
  h5::write_ints(group, "m", c.scores.m);
  h5::write_ints(group, "segment", std::vector<int>(c.segment.begin(), c.segment.end()));
  h5::write_strings(group, "segment_names", c.segment_names);
  h5::write_attr(group, "segment_table", c.segment_table);
  h5::write_attr(group, "bins", static_cast<long long>(c.bins));
  h5::write_attr(group, "ties", c.ties);
}

void write_profiles(hid_t file, const std::vector<records::RunRecord>& runs, std::size_t segments) {
  // One long table (a row per run and group) rather than a group per run: a few
  // datasets instead of thousands keeps the write cheap and pandas reads it in one go.
  auto group = h5::create_group(file, "profiles");
  std::vector<std::string> keys, labels;
  std::vector<unsigned long long> customers;
  std::vector<const records::RunProfile*> profiles;
  std::size_t rows = 0;
  for (const auto& run : runs) {
    if (!run.profile) continue;
    profiles.push_back(&*run.profile);
    rows += run.profile->clusters.rows.size();
    for (const auto& row : run.profile->clusters.rows) {
      keys.push_back(run.key);
      labels.push_back(row.label);
      customers.push_back(row.customers);
    }
  }
  h5::write_strings(group, "key", keys);
  h5::write_strings(group, "group", labels);
  h5::write_uint64s(group, "customers", customers);
  for (const auto& column : kProfileColumns) {
    std::vector<double> values;
    values.reserve(rows);
    for (const auto* p : profiles)
      for (const auto& row : p->clusters.rows) values.push_back(row.*column.field);
    h5::write_doubles(group, column.name, values);
  }
  Matrix counts(static_cast<Index>(rows), static_cast<Index>(segments));
  Index at = 0;
  for (const auto* p : profiles) {
    counts.middleRows(at, p->by_segment.counts.rows()) = p->by_segment.counts;
    at += p->by_segment.counts.rows();
  }
  h5::write_count_matrix(group, "segment_counts", counts);
}

std::optional<records::CustomerSegments> read_customers(hid_t file, const Dataset& data) {
  if (!h5::exists(file, "customers")) return std::nullopt;
  auto group = h5::open_group(file, "customers");
  records::CustomerSegments c;
  c.rfm.source = data.source;
  c.rfm.ids = data.ids;
  c.rfm.columns.assign(std::begin(kRfmColumns), std::end(kRfmColumns));
  for (Index j = 0; j < 3; ++j) {
    const auto values = h5::read_doubles(group, kRfmColumns[j]);
    if (j == 0) c.rfm.values.resize(static_cast<Index>(values.size()), 3);
    if (static_cast<Index>(values.size()) != c.rfm.rows())
      throw InputError(fmt::format("/customers/{}: {} rows, expected {}", kRfmColumns[j], values.size(), c.rfm.rows()));
    for (std::size_t i = 0; i < values.size(); ++i) c.rfm.values(static_cast<Index>(i), j) = values[i];
  }
  c.scores.r = as_ints(h5::read_integers(group, "r"));
  c.scores.f = as_ints(h5::read_integers(group, "f"));
  c.scores.m = as_ints(h5::read_integers(group, "m"));
  const auto segment = h5::read_integers(group, "segment");
  c.segment.assign(segment.begin(), segment.end());
  c.segment_names = h5::read_strings(group, "segment_names");
  c.segment_table = h5::read_string_attr(group, "segment_table");
  c.bins = static_cast<int>(h5::read_double_attr(group, "bins"));
  c.ties = h5::read_string_attr(group, "ties");
  return c;
}

void read_profiles(hid_t file, std::vector<records::RunRecord>& runs) {
  if (!h5::exists(file, "profiles")) return;
  auto group = h5::open_group(file, "profiles");
  const auto keys = h5::read_strings(group, "key");
  const auto labels = h5::read_strings(group, "group");
  const auto customers = h5::read_integers(group, "customers");
  std::vector<std::vector<double>> columns;
  for (const auto& column : kProfileColumns) columns.push_back(h5::read_doubles(group, column.name));
  const Matrix counts = h5::read_matrix(group, "segment_counts");
  const auto segment_names = h5::exists(file, "customers")
                                 ? h5::read_strings(h5::open_group(file, "customers"), "segment_names")
                                 : std::vector<std::string>{};
  if (labels.size() != keys.size() || customers.size() != keys.size() ||
      static_cast<std::size_t>(counts.rows()) != keys.size())
    throw InputError("/profiles: columns of different lengths");

  std::map<std::string, records::RunRecord*> by_key;
  for (auto& run : runs) by_key[run.key] = &run;
  for (std::size_t begin = 0, end = 0; begin < keys.size(); begin = end) {
    for (end = begin; end < keys.size() && keys[end] == keys[begin];) ++end;
    const auto it = by_key.find(keys[begin]);
    if (it == by_key.end()) continue;
    records::RunProfile profile;
    auto& p = profile.clusters;
    for (std::size_t i = begin; i < end; ++i) {
      rfm::ProfileRow row;
      row.label = labels[i];
      row.customers = static_cast<std::size_t>(customers[i]);
      for (std::size_t c = 0; c < columns.size(); ++c) row.*kProfileColumns[c].field = columns[c].at(i);
      p.customers += row.customers;
      p.revenue += row.revenue;  // the same sum, in the same order, as rfm::profile
      profile.by_segment.row_names.push_back(row.label);
      p.rows.push_back(std::move(row));
    }
    profile.by_segment.column_names = segment_names;
    profile.by_segment.counts = counts.middleRows(static_cast<Index>(begin), static_cast<Index>(end - begin));
    it->second->profile = std::move(profile);
  }
}

}  // namespace cb::store
