#include "clusterbench/store/rfm_store.hpp"

#include <unistd.h>

#include <filesystem>

#include "cleaning_store.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/io/transactions_dates.hpp"
#include "clusterbench/store/result_store.hpp"
#include "h5_handles.hpp"

namespace cb::store {

void write_rfm_results(const std::string& path, const rfm::Analysis& a, const std::string& source) {
  ensure_writable(path);
  h5::write_file_image(path, [&](hid_t file) {
    h5::write_attr(file, "kind", std::string("clusterbench-rfm"));
    h5::write_attr(file, "source", source);
    h5::write_attr(file, "snapshot", io::format_day(a.customers.snapshot));

    auto customers = h5::create_group(file, "customers");
    h5::write_strings(customers, "id", a.customers.features.ids);
    h5::write_strings(customers, "country", a.customers.country);
    for (Index j = 0; j < a.customers.features.cols(); ++j) {
      const auto& col = a.customers.features.values.col(j);
      h5::write_doubles(customers, a.customers.features.columns[static_cast<std::size_t>(j)],
                        std::vector<double>(col.data(), col.data() + col.size()));
    }
    h5::write_ints(customers, "r", a.scores.r);
    h5::write_ints(customers, "f", a.scores.f);
    h5::write_ints(customers, "m", a.scores.m);
    h5::write_ints(customers, "code", a.scores.code);
    std::vector<std::string> segment;
    std::vector<int> fell;
    for (std::size_t i = 0; i < a.segments.segment.size(); ++i) {
      segment.push_back(a.segments.names[static_cast<std::size_t>(a.segments.segment[i])]);
      fell.push_back(a.segments.fell_through[i]);
    }
    h5::write_strings(customers, "segment", segment);
    h5::write_ints(customers, "fell_through", fell);

    auto profile = h5::create_group(file, "profile");
    std::vector<std::string> label;
    std::vector<double> n, share, revenue, revenue_share, ticket, r, f, m;
    for (const auto& row : a.profile.rows) {
      label.push_back(row.label);
      n.push_back(static_cast<double>(row.customers));
      share.push_back(row.share);
      revenue.push_back(row.revenue);
      revenue_share.push_back(row.revenue_share);
      ticket.push_back(row.average_ticket);
      r.push_back(row.mean_r);
      f.push_back(row.mean_f);
      m.push_back(row.mean_m);
    }
    h5::write_strings(profile, "segment", label);
    h5::write_doubles(profile, "customers", n);
    h5::write_doubles(profile, "share", share);
    h5::write_doubles(profile, "revenue", revenue);
    h5::write_doubles(profile, "revenue_share", revenue_share);
    h5::write_doubles(profile, "average_ticket", ticket);
    h5::write_doubles(profile, "mean_r", r);
    h5::write_doubles(profile, "mean_f", f);
    h5::write_doubles(profile, "mean_m", m);

    write_cleaning(file, a.report);
  });
}

}  // namespace cb::store
