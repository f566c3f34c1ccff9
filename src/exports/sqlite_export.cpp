// The results store as one SQLite file. All rows go in through prepared
// statements inside one transaction, into a temporary file beside the target
// that is synced and renamed only when everything is in: a failure never
// leaves a partial database, and an existing one is replaced only on success.
#include "clusterbench/exports/sqlite_export.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/exports/points_csv.hpp"
#include "clusterbench/report/leaderboard.hpp"
#include "clusterbench/report/metric_catalog.hpp"
#include "clusterbench/store/result_store.hpp"
#include "sqlite_handles.hpp"

namespace cb::exports {
namespace {

using records::GridResult;
using records::RunRecord;
using sqlite::Database;

// Tables whose columns do not depend on the data; `points` is created from the
// data's columns. Child tables lead their primary keys with run_key and are
// WITHOUT ROWID, so a run's rows sit together and "WHERE run_key = ?" is a range.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE metadata (
  name TEXT PRIMARY KEY,
  value TEXT
);
CREATE TABLE runs (
  key TEXT PRIMARY KEY,
  plan_order INTEGER NOT NULL UNIQUE,
  space TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  k INTEGER NOT NULL,
  k_found INTEGER NOT NULL,
  params TEXT NOT NULL,
  params_changed TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT,
  seed TEXT NOT NULL,
  fit_seconds REAL,
  score_seconds REAL,
  eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
  ineligible_reason TEXT,
  leaderboard_rank INTEGER,
  labelled_points INTEGER,
  noise_points INTEGER,
  noise_share REAL,
  min_cluster_share REAL,
  cluster_sizes TEXT
);
CREATE INDEX runs_by_space_algorithm_k ON runs (space, algorithm, k);
CREATE TABLE clusters (
  run_key TEXT NOT NULL REFERENCES runs (key),
  cluster INTEGER NOT NULL,
  size INTEGER NOT NULL,
  share REAL NOT NULL,
  PRIMARY KEY (run_key, cluster)
) WITHOUT ROWID;
CREATE TABLE scores (
  run_key TEXT NOT NULL REFERENCES runs (key),
  metric TEXT NOT NULL,
  value REAL,
  kind TEXT NOT NULL CHECK (kind IN ('score', 'value')),
  computation TEXT NOT NULL CHECK (computation IN ('exact', 'sampled')),
  sample_size INTEGER,
  ci_low REAL,
  ci_high REAL,
  PRIMARY KEY (run_key, metric)
) WITHOUT ROWID;
CREATE INDEX scores_by_metric ON scores (metric, value);
CREATE TABLE assignments (
  run_key TEXT NOT NULL REFERENCES runs (key),
  point INTEGER NOT NULL REFERENCES points (point),
  id TEXT NOT NULL,
  cluster INTEGER NOT NULL,
  PRIMARY KEY (run_key, point)
) WITHOUT ROWID;
CREATE TABLE profiles (
  run_key TEXT NOT NULL REFERENCES runs (key),
  cluster INTEGER NOT NULL,
  label TEXT NOT NULL,
  customers INTEGER NOT NULL,
  share REAL,
  revenue REAL,
  revenue_share REAL,
  average_ticket REAL,
  mean_recency REAL,
  mean_frequency REAL,
  mean_monetary REAL,
  mean_r REAL,
  mean_f REAL,
  mean_m REAL,
  PRIMARY KEY (run_key, cluster)
) WITHOUT ROWID;
CREATE TABLE profile_segments (
  run_key TEXT NOT NULL REFERENCES runs (key),
  cluster INTEGER NOT NULL,
  segment TEXT NOT NULL,
  segment_order INTEGER NOT NULL,
  customers INTEGER NOT NULL,
  PRIMARY KEY (run_key, cluster, segment)
) WITHOUT ROWID;
)sql";

/// `name` as an SQL identifier: double-quoted, inner quotes doubled.
std::string quoted_identifier(std::string_view name) {
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

/// Lower-case copy: SQLite compares identifiers without case.
std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// The runs in key order: rows of the WITHOUT ROWID tables then append at the end of their B-trees.
std::vector<const RunRecord*> runs_by_key(const GridResult& result) {
  std::vector<const RunRecord*> runs;
  for (const auto& run : result.runs) runs.push_back(&run);
  std::sort(runs.begin(), runs.end(), [](const RunRecord* a, const RunRecord* b) { return a->key < b->key; });
  return runs;
}

/// Each scored run's place on the stored leaderboard (eligible runs first, by rank_by).
std::map<const RunRecord*, std::size_t> leaderboard_ranks(const GridResult& result, const std::string& rank_by) {
  std::map<const RunRecord*, std::size_t> ranks;
  const auto columns = report::numeric_columns(result.runs);
  if (std::find(columns.begin(), columns.end(), rank_by) == columns.end()) return ranks;  // nothing has the score
  for (const auto& row : report::leaderboard(result, report::LeaderboardOptions{})) ranks[row.run] = row.rank;
  return ranks;
}

void write_metadata(Database& db, const GridResult& result, const std::string& rank_by) {
  const auto& p = result.provenance;
  const auto& policy = result.leaderboard;
  const std::vector<std::pair<std::string, std::string>> rows{
      {"grid_name", p.grid_name},
      {"results_schema_version", std::to_string(p.schema_version)},
      {"program_version", p.program_version},
      {"git_commit", p.git_commit},
      {"config_path", p.config_path},
      {"config_text", p.config_text},
      {"data_source", result.data.source},
      {"data_digest", p.data_digest},
      {"points", std::to_string(result.data.rows())},
      {"features", fmt::format("{}", fmt::join(result.data.columns, ","))},
      {"grid_seed", std::to_string(p.seed)},
      {"threads", std::to_string(p.threads)},
      {"started_utc", p.started_utc},
      {"finished_utc", p.finished_utc},
      {"shard", p.shard},
      {"rank_by", rank_by},
      {"min_cluster_share", shortest_number(policy.min_cluster_share)},
      {"max_noise_share", shortest_number(policy.max_noise_share)},
      {"min_silhouette_ref", shortest_number(policy.min_silhouette_ref)},
  };
  auto insert = db.prepare("INSERT INTO metadata VALUES (?, ?)");
  for (const auto& [name, value] : rows) {
    insert.bind(1, name).bind_text_or_null(2, value);
    insert.insert();
  }
}

/// "196/196/3": the sizes of clusters 0, 1, 2 as stored.
std::string sizes_text(const std::vector<std::int64_t>& sizes) { return fmt::format("{}", fmt::join(sizes, "/")); }

void write_runs(Database& db, const GridResult& result, const std::vector<const RunRecord*>& runs,
                const report::ParamDefaults& defaults, const std::string& rank_by, SqliteExportSummary& summary) {
  std::map<const RunRecord*, std::size_t> plan_order;
  for (std::size_t i = 0; i < result.runs.size(); ++i) plan_order[&result.runs[i]] = i;
  const auto ranks = leaderboard_ranks(result, rank_by);
  auto insert_run =
      db.prepare("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto insert_cluster = db.prepare("INSERT INTO clusters VALUES (?, ?, ?, ?)");
  for (const RunRecord* run : runs) {
    const std::string reason = report::ineligibility(*run, result.leaderboard);
    insert_run.bind(1, run->key)
        .bind(2, plan_order.at(run))
        .bind(3, run->space)
        .bind(4, run->algorithm)
        .bind(5, run->k)
        .bind(6, run->k_found)
        .bind(7, run->params.empty() ? std::string("{}") : run->params)
        .bind(8, report::compact_params(*run, defaults))
        .bind(9, run->status)
        .bind_text_or_null(10, run->message)
        .bind(11, std::to_string(run->seed))  // TEXT: SQLite's INTEGER is signed, seeds use all 64 bits
        .bind(12, run->fit_seconds)
        .bind(13, run->score_seconds)
        .bind(14, reason.empty() ? 1 : 0)
        .bind_text_or_null(15, reason);
    if (const auto rank = ranks.find(run); rank != ranks.end()) insert_run.bind(16, rank->second);
    else insert_run.bind_null(16);
    insert_run.bind(20, report::run_value(*run, "min_cluster_share"));
    if (run->labels.empty()) {
      insert_run.bind_null(17).bind_null(18).bind_null(19).bind_null(21);
    } else {
      const auto n = static_cast<std::int64_t>(run->labels.size());
      const auto noise = static_cast<std::int64_t>(std::count(run->labels.begin(), run->labels.end(), kNoise));
      insert_run.bind(17, n).bind(18, noise).bind(19, static_cast<double>(noise) / static_cast<double>(n));
      insert_run.bind(21, sizes_text(run->cluster_sizes));
    }
    insert_run.insert();
    ++summary.runs;

    // Shares of all points, as min_cluster_share; noise as cluster -1 so a chart of a run's groups adds up.
    if (run->labels.empty()) continue;
    const auto n = static_cast<double>(run->labels.size());
    const auto noise = std::count(run->labels.begin(), run->labels.end(), kNoise);
    if (noise > 0) {
      insert_cluster.bind(1, run->key).bind(2, kNoise).bind(3, noise).bind(4, static_cast<double>(noise) / n);
      insert_cluster.insert();
      ++summary.clusters;
    }
    for (std::size_t c = 0; c < run->cluster_sizes.size(); ++c) {
      const auto size = run->cluster_sizes[c];
      insert_cluster.bind(1, run->key).bind(2, c).bind(3, size).bind(4, static_cast<double>(size) / n);
      insert_cluster.insert();
      ++summary.clusters;
    }
  }
}

// run_scoring.cpp draws one sample of points per run for both silhouettes above
// scoring.exact_up_to; its size is this score, and each estimate's 95 % interval
// is <metric>_ci_low / _ci_high. They describe a score rather than being one, so
// they become columns of that score's row.
constexpr std::string_view kSampleSizeScore = "silhouette_sample";
constexpr std::string_view kCiLow = "_ci_low";
constexpr std::string_view kCiHigh = "_ci_high";

/// The score whose estimate `name` describes (its sample size or interval), or "" when `name` is a score itself.
std::string described_score(const RunRecord& run, const std::string& name) {
  std::string base;
  if (name == kSampleSizeScore) base = "silhouette";
  else if (name.ends_with(kCiLow)) base = name.substr(0, name.size() - kCiLow.size());
  else if (name.ends_with(kCiHigh)) base = name.substr(0, name.size() - kCiHigh.size());
  return run.scores.count(base) ? base : "";
}

double score_or_nan(const RunRecord& run, const std::string& name) {
  const auto it = run.scores.find(name);
  return it == run.scores.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

void write_scores(Database& db, const std::vector<const RunRecord*>& runs, SqliteExportSummary& summary) {
  auto insert = db.prepare("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const RunRecord* run : runs) {
    const double sample_size = score_or_nan(*run, std::string(kSampleSizeScore));
    for (const auto& [name, value] : run->scores) {
      if (!described_score(*run, name).empty()) continue;
      const auto* metric = report::find_metric(name);
      const double ci_low = score_or_nan(*run, name + std::string(kCiLow));
      const double ci_high = score_or_nan(*run, name + std::string(kCiHigh));
      const bool sampled = metric && metric->computation == report::Computation::sampled_above_budget &&
                           !std::isnan(sample_size) && !std::isnan(ci_low);
      insert.bind(1, run->key).bind(2, name).bind(3, value).bind(4, std::string_view("score"));
      insert.bind(5, std::string_view(sampled ? "sampled" : "exact"));
      if (sampled) insert.bind(6, static_cast<std::int64_t>(sample_size)).bind(7, ci_low).bind(8, ci_high);
      else insert.bind_null(6).bind_null(7).bind_null(8);
      insert.insert();
      ++summary.scores;
    }
    for (const auto& [name, value] : run->values) {
      if (run->scores.count(name)) continue;  // a score of the same name is what rank reads (metric_catalog run_value)
      insert.bind(1, run->key).bind(2, name).bind(3, value).bind(4, std::string_view("value"));
      insert.bind(5, std::string_view("exact")).bind_null(6).bind_null(7).bind_null(8);
      insert.insert();
      ++summary.scores;
    }
  }
}

void write_points(Database& db, const GridResult& result, SqliteExportSummary& summary) {
  const auto& data = result.data;
  const bool has_reference = data.reference && data.reference->size() == static_cast<std::size_t>(data.rows());
  const bool has_segments =
      result.customers && result.customers->segment.size() == static_cast<std::size_t>(data.rows());
  std::set<std::string> taken{"point", "id", "reference_label", "rfm_segment"};
  std::vector<std::string> columns{"point INTEGER PRIMARY KEY", "id TEXT NOT NULL"};
  for (const auto& name : data.columns) {
    // A feature named like a fixed column (a features CSV may have an "id" column) keeps its data under feature_<name>.
    std::string column = taken.count(lower(name)) ? "feature_" + name : name;
    while (taken.count(lower(column))) column += "_";
    taken.insert(lower(column));
    columns.push_back(quoted_identifier(column) + " REAL");
  }
  if (has_reference) columns.push_back("reference_label INTEGER");
  if (has_segments) columns.push_back("rfm_segment TEXT");
  db.execute(fmt::format("CREATE TABLE points ({})", fmt::join(columns, ", ")));

  std::vector<std::string_view> placeholders(columns.size(), "?");
  auto insert = db.prepare(fmt::format("INSERT INTO points VALUES ({})", fmt::join(placeholders, ", ")));
  for (Index i = 0; i < data.rows(); ++i) {
    const auto row = static_cast<std::size_t>(i);
    insert.bind(1, i).bind(2, data.ids.at(row));
    int position = 3;
    for (Index j = 0; j < data.cols(); ++j) insert.bind(position++, data.values(i, j));
    if (has_reference) insert.bind(position++, (*data.reference)[row]);
    if (has_segments) {
      const auto segment = static_cast<std::size_t>(result.customers->segment[row]);
      const auto& names = result.customers->segment_names;
      if (segment < names.size()) insert.bind(position++, names[segment]);
      else insert.bind_null(position++);
    }
    insert.insert();
    ++summary.points;
  }
}

void write_assignments(Database& db, const GridResult& result, const std::vector<const RunRecord*>& runs,
                       SqliteExportSummary& summary) {
  const auto& ids = result.data.ids;
  auto insert = db.prepare("INSERT INTO assignments VALUES (?, ?, ?, ?)");
  for (const RunRecord* run : runs) {
    if (run->labels.empty()) continue;
    if (run->labels.size() != ids.size())
      throw InputError(fmt::format("run {} has {} labels for {} points", run->key, run->labels.size(), ids.size()));
    // The bulk of the database: the key is bound once per run and no text is copied.
    insert.bind_static(1, run->key);
    for (std::size_t i = 0; i < run->labels.size(); ++i) {
      insert.bind(2, i).bind_static(3, ids[i]).bind(4, run->labels[i]);
      insert.insert();
    }
    summary.assignments += run->labels.size();
  }
}

void write_profiles(Database& db, const std::vector<const RunRecord*>& runs, SqliteExportSummary& summary) {
  auto insert_group = db.prepare("INSERT INTO profiles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto insert_segment = db.prepare("INSERT INTO profile_segments VALUES (?, ?, ?, ?, ?)");
  for (const RunRecord* run : runs) {
    if (!run->profile) continue;
    const auto& rows = run->profile->clusters.rows;
    const auto& cross = run->profile->by_segment;
    for (std::size_t g = 0; g < rows.size(); ++g) {
      // Rows are clusters 0..k-1, then noise (records::RunProfile).
      const auto& r = rows[g];
      const std::int64_t cluster = r.label == "noise" ? kNoise : static_cast<std::int64_t>(g);
      insert_group.bind(1, run->key).bind(2, cluster).bind(3, r.label).bind(4, r.customers);
      int position = 5;
      for (const double v : {r.share, r.revenue, r.revenue_share, r.average_ticket, r.mean_recency, r.mean_frequency,
                             r.mean_monetary, r.mean_r, r.mean_f, r.mean_m})
        insert_group.bind(position++, v);
      insert_group.insert();
      ++summary.profiles;

      // The cross table names its rows as the profile does.
      const auto row = std::find(cross.row_names.begin(), cross.row_names.end(), r.label);
      if (row == cross.row_names.end()) continue;
      const auto cross_row = static_cast<Index>(row - cross.row_names.begin());
      for (std::size_t s = 0; s < cross.column_names.size(); ++s) {
        insert_segment.bind(1, run->key).bind(2, cluster).bind(3, cross.column_names[s]).bind(4, s);
        insert_segment.bind(5, static_cast<std::int64_t>(cross.counts(cross_row, static_cast<Index>(s))));
        insert_segment.insert();
        ++summary.profile_segments;
      }
    }
  }
}

/// Flushes the finished file to the disk before it is renamed over the target
/// (SQLite's own syncs are off while it is built: the file is discarded on failure).
void sync_file(const std::string& file, const std::string& shown_name) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int reason = errno;
    if (fd >= 0) ::close(fd);
    throw IoError(fmt::format("{}: write failed: {}", shown_name, std::strerror(reason)));
  }
  ::close(fd);
}

void remove_temporary(const std::string& temp) {
  std::error_code ignored;
  std::filesystem::remove(temp, ignored);
  std::filesystem::remove(temp + "-journal", ignored);
}

}  // namespace

SqliteExportSummary write_sqlite(const std::string& path, const GridResult& result,
                                 const report::ParamDefaults& defaults) {
  store::ensure_writable(path);
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  remove_temporary(temp);  // a leftover of a killed export with the same process id
  SqliteExportSummary summary;
  try {
    {
      Database db(temp, path);
      // No rollback journal and no syncs while building: the whole file is thrown away on failure.
      db.execute(
          "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
          "PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF;");
      db.execute("BEGIN");
      db.execute(kSchema);
      const std::string rank_by = report::resolved_sort_by(result, "");
      const auto runs = runs_by_key(result);
      write_metadata(db, result, rank_by);
      write_runs(db, result, runs, defaults, rank_by, summary);
      write_scores(db, runs, summary);
      write_points(db, result, summary);
      write_assignments(db, result, runs, summary);
      write_profiles(db, runs, summary);
      db.execute("COMMIT");
      db.close();
    }
    sync_file(temp, path);
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) throw IoError(fmt::format("{}: cannot rename {} into place: {}", path, temp, ec.message()));
  } catch (...) {
    remove_temporary(temp);
    throw;
  }
  return summary;
}

}  // namespace cb::exports
