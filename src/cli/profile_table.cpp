#include "profile_table.hpp"

#include <iostream>

#include <fmt/format.h>

namespace cb::cli {

void print_profile(const rfm::Profile& profile, bool with_scores) {
  std::cout << fmt::format("{:<20} {:>9} {:>7} {:>14} {:>9} {:>10} {:>9} {:>9}", "group", "customers", "share", "revenue",
                           "rev_share", "avg_ticket", "recency", "frequency");
  if (with_scores) std::cout << fmt::format(" {:>7} {:>7} {:>7}", "mean_R", "mean_F", "mean_M");
  std::cout << "\n";
  for (const auto& r : profile.rows) {
    std::cout << fmt::format("{:<20} {:>9} {:>6.1f}% {:>14.2f} {:>8.1f}% {:>10.2f} {:>9.1f} {:>9.2f}", r.label, r.customers,
                             100 * r.share, r.revenue, 100 * r.revenue_share, r.average_ticket, r.mean_recency, r.mean_frequency);
    if (with_scores) std::cout << fmt::format(" {:>7.2f} {:>7.2f} {:>7.2f}", r.mean_r, r.mean_f, r.mean_m);
    std::cout << "\n";
  }
}

}  // namespace cb::cli
