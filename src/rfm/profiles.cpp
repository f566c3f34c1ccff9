#include "clusterbench/rfm/profiles.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::rfm {
namespace {

Index column_index(const Dataset& d, const char* name) {
  const auto it = std::find(d.columns.begin(), d.columns.end(), name);
  if (it == d.columns.end()) throw InputError(fmt::format("{}: a profile needs a column named '{}'", d.source, name));
  return static_cast<Index>(it - d.columns.begin());
}

/// Names for labels 0..max, plus "noise" last when present; returns the row of each label.
std::vector<std::string> group_names(std::span<const Label> labels, const std::vector<std::string>& names,
                                     bool& has_noise) {
  Label max_label = static_cast<Label>(names.size()) - 1;
  has_noise = false;
  for (Label l : labels) {
    if (l == kNoise) has_noise = true;
    else if (l < 0) throw InputError(fmt::format("invalid label {}", l));
    else max_label = std::max(max_label, l);
  }
  std::vector<std::string> out;
  for (Label l = 0; l <= max_label; ++l)
    out.push_back(static_cast<std::size_t>(l) < names.size() ? names[static_cast<std::size_t>(l)]
                                                             : fmt::format("cluster {}", l));
  if (has_noise) out.push_back("noise");
  return out;
}

std::size_t row_of(Label l, std::size_t noise_row) { return l == kNoise ? noise_row : static_cast<std::size_t>(l); }

}  // namespace

Profile profile(const Dataset& features, std::span<const Label> labels, const std::vector<std::string>& names,
                const RfmScores* scores) {
  const auto n = static_cast<std::size_t>(features.rows());
  if (labels.size() != n) throw InputError(fmt::format("profile: {} labels for {} customers", labels.size(), n));
  if (scores && scores->r.size() != n)
    throw InputError(fmt::format("profile: {} scores for {} customers", scores->r.size(), n));
  const Index rc = column_index(features, "recency"), fc = column_index(features, "frequency"),
              mc = column_index(features, "monetary");
  bool has_noise = false;
  const auto groups = group_names(labels, names, has_noise);
  const std::size_t noise_row = groups.size() - 1;
  Profile p;
  p.rows.resize(groups.size());
  std::vector<double> invoices(groups.size(), 0.0);
  for (std::size_t g = 0; g < groups.size(); ++g) p.rows[g].label = groups[g];
  for (std::size_t i = 0; i < n; ++i) {
    ProfileRow& row = p.rows[row_of(labels[i], noise_row)];
    const auto ii = static_cast<Index>(i);
    ++row.customers;
    row.revenue += features.values(ii, mc);
    row.mean_recency += features.values(ii, rc);
    row.mean_frequency += features.values(ii, fc);
    invoices[row_of(labels[i], noise_row)] += features.values(ii, fc);
    if (scores) {
      row.mean_r += scores->r[i];
      row.mean_f += scores->f[i];
      row.mean_m += scores->m[i];
    }
  }
  p.customers = n;
  for (const auto& row : p.rows) p.revenue += row.revenue;
  for (std::size_t g = 0; g < p.rows.size(); ++g) {
    ProfileRow& row = p.rows[g];
    if (row.customers == 0) continue;
    const double c = static_cast<double>(row.customers);
    row.share = c / static_cast<double>(n);
    row.revenue_share = p.revenue != 0 ? row.revenue / p.revenue : 0.0;
    row.average_ticket = invoices[g] > 0 ? row.revenue / invoices[g] : 0.0;
    row.mean_recency /= c;
    row.mean_frequency /= c;
    row.mean_monetary = row.revenue / c;
    row.mean_r /= c;
    row.mean_f /= c;
    row.mean_m /= c;
  }
  return p;
}

CrossTable cross_table(std::span<const Label> rows, const std::vector<std::string>& row_names,
                       std::span<const Label> columns, const std::vector<std::string>& column_names) {
  if (rows.size() != columns.size())
    throw InputError(fmt::format("cross table: {} row labels but {} column labels", rows.size(), columns.size()));
  CrossTable t;
  bool row_noise = false, column_noise = false;
  t.row_names = group_names(rows, row_names, row_noise);
  t.column_names = group_names(columns, column_names, column_noise);
  t.counts = Matrix::Zero(static_cast<Index>(t.row_names.size()), static_cast<Index>(t.column_names.size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    t.counts(static_cast<Index>(row_of(rows[i], t.row_names.size() - 1)),
             static_cast<Index>(row_of(columns[i], t.column_names.size() - 1))) += 1;
  return t;
}

}  // namespace cb::rfm
