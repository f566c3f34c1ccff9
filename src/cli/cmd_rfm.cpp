// `clusterbench rfm LOG`: cleaning report, customer features, RFM scores, named
// segments and their profile; or, with --compare, segment migration between two snapshots.
#include <iostream>

#include <fmt/format.h>

#include "atomic_file.hpp"
#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/exports/points_csv.hpp"
#include "clusterbench/io/transactions_dates.hpp"
#include "clusterbench/report/cleaning_report.hpp"
#include "clusterbench/report/migration_report.hpp"
#include "clusterbench/report/profile_report.hpp"
#include "clusterbench/rfm/config/segment_rules_yaml.hpp"
#include "clusterbench/rfm/migration.hpp"
#include "clusterbench/rfm/pipeline.hpp"
#include "clusterbench/store/rfm_store.hpp"
#include "commands.hpp"
#include "rfm_log_options.hpp"
#include "subcommand.hpp"
#include "validators.hpp"

namespace cb::cli {
namespace {

struct RfmArgs {
  std::string log;
  std::string snapshot;
  std::vector<std::string> compare;
  std::string segments = "standard11";
  std::string ties = "rank_first";
  int bins = 5;
  bool pinned = false;
  std::string out, export_csv;
  std::string report_html;  ///< with --compare: the migration as an HTML page (Sankey)
  int threads = 0;
  std::string format = "table";  ///< of the --compare matrix
  RfmLogFlags log_flags;
};

void export_customers(const std::string& path, const rfm::Analysis& a) {
  write_file_atomically(path, [&](std::ostream& out) {
    const auto& f = a.customers.features;
    out << "customer_id,country";
    for (const auto& c : f.columns) out << ',' << c;
    out << ",r,f,m,code,fm,segment,fell_through\n";
    for (Index i = 0; i < f.rows(); ++i) {
      const auto u = static_cast<std::size_t>(i);
      out << f.ids[u] << ",\"" << a.customers.country[u] << '"';
      for (Index j = 0; j < f.cols(); ++j) out << ',' << exports::shortest_number(f.values(i, j));
      out << ',' << a.scores.r[u] << ',' << a.scores.f[u] << ',' << a.scores.m[u] << ',' << a.scores.code[u] << ','
          << exports::shortest_number(a.scores.fm[u]) << ",\""
          << a.segments.names[static_cast<std::size_t>(a.segments.segment[u])] << "\","
          << int(a.segments.fell_through[u]) << '\n';
    }
  });
}

int run_rfm(const RfmArgs& args) {
  const report::Format format = report::format_named(args.format);
  if (args.compare.empty() && args.format != "table") throw InputError("--format applies to --compare only");
  if (args.compare.empty() && !args.report_html.empty()) throw InputError("--report applies to --compare only");
  const auto log = parse_rfm_log_flags(args.log_flags);
  const auto table = rfm_config::load_segment_preset(args.segments);
  const auto executor = make_parallel_executor(args.threads);
  rfm::ScoreOptions scoring;
  scoring.bins = args.bins;
  try {
    scoring.ties = rfm::parse_tie_policy(args.ties);
  } catch (const std::exception& e) {
    throw InputError(fmt::format("--ties: {}", e.what()));
  }
  if (!args.compare.empty()) {
    if (args.compare.size() != 2) throw InputError("--compare takes two snapshot dates: FIRST SECOND");
    rfm::MigrationOptions options;
    options.scoring = scoring;
    options.pinned = args.pinned;
    const auto first = io::parse_day(args.compare[0], "--compare first date");
    const auto second = io::parse_day(args.compare[1], "--compare second date");
    const auto m = rfm::migrate_log(args.log, log.schema, log.cleaning, first, second, table, options, *executor);
    std::cout << report::render_migration(m, args.compare[0], args.compare[1], args.pinned, format);
    if (!args.report_html.empty()) {
      const std::string html = report::render_migration_html(m, args.compare[0], args.compare[1], args.pinned);
      write_file_atomically(args.report_html, [&](std::ostream& stream) { stream << html; });
    }
    return kOk;
  }
  rfm::AnalysisOptions options;
  options.scoring = scoring;
  options.cleaning = log.cleaning;
  if (!args.snapshot.empty()) options.snapshot = io::parse_day(args.snapshot, "--snapshot");
  const auto analysis = rfm::analyze_log(args.log, log.schema, table, options, *executor);
  std::cout << report::render_cleaning(analysis.report) << '\n';
  std::cout << fmt::format("Snapshot {} | {} customers | segments: {} | ties: {} | bins: {}\n\n",
                           io::format_day(analysis.customers.snapshot), analysis.customers.features.rows(), table.name,
                           args.ties, args.bins);
  std::cout << report::render_profile(analysis.profile, nullptr, report::Format::table, true);
  std::cout << fmt::format("{} customers reached the default segment only by falling through\n",
                           analysis.segments.fell_through_count);
  if (!args.export_csv.empty()) export_customers(args.export_csv, analysis);
  if (!args.out.empty()) store::write_rfm_results(args.out, analysis, args.log);
  return kOk;
}

}  // namespace

Runner add_rfm_command(CLI::App& app) {
  auto [args, cmd] = add_subcommand<RfmArgs>(
      app, "rfm", "RFM from a transaction log (Online Retail schema): cleaning report, segments, profile, migration");
  cmd->add_option("log", args->log, "transaction log (CSV, plain or .gz)")->required();
  cmd->add_option("--snapshot", args->snapshot, "reference date YYYY-MM-DD (default: day after the last purchase)");
  cmd->add_option("--compare", args->compare, "two snapshot dates: migration matrix between them")->expected(2);
  cmd->add_flag("--pinned", args->pinned, "with --compare: the second snapshot reuses the first's cut points");
  add_format_option(*cmd, args->format, "with --compare: table, csv, json or markdown");
  cmd->add_option("--report", args->report_html,
                  "with --compare: also write the migration as an HTML page (Sankey diagram)");
  cmd->add_option("--segments", args->segments, "rule table: standard11, rfm_r, rf_grid, r_fm6 or a YAML file")
      ->capture_default_str();
  cmd->add_option("--ties", args->ties, "quantile tie policy: rank_first, cut_le, r_rfm, ntile")->capture_default_str();
  cmd->add_option("--bins", args->bins, "score levels (2..9)")->capture_default_str()->check(CLI::Range(2, 9));
  cmd->add_option("--out", args->out,
                  "write customers, scores, segments, profile and cleaning report to this HDF5 file");
  cmd->add_option("--export", args->export_csv, "write one CSV row per customer: features, scores, segment");
  add_threads_option(*cmd, args->threads, "threads (0 = all cores)");
  auto& flags = args->log_flags;
  cmd->add_option(
      "--columns", flags.columns,
      "column mapping KEY=NAME,... over customer, date, invoice, quantity, price | amount, product, country "
      "(unnamed optional columns are absent; with --no-header NAME is a position from 1); default: the "
      "Online Retail names");
  cmd->add_option("--date-format", flags.date_format,
                  "date format, e.g. %Y%m%d or %d/%m/%Y %H:%M (default: ISO or US, detected)");
  cmd->add_option("--delimiter", flags.delimiter,
                  "field separator: one character (default ,) or whitespace (runs of spaces and tabs)");
  cmd->add_flag("--no-header", flags.no_header, "the log has no header line: --columns gives positions from 1");
  cmd->add_option("--cleaning", flags.cleaning,
                  "cleaning rules KEY=VALUE,... as the config's cleaning: keys (e.g. duplicates=false,"
                  "non_product_codes=POST;DOT,excluded_countries=false)");
  cmd->add_option("--since", flags.since, "first day kept, YYYY-MM-DD");
  cmd->add_option("--until", flags.until, "last day kept, YYYY-MM-DD");
  return [args = args] { return run_rfm(*args); };
}

}  // namespace cb::cli
