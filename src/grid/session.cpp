#include "clusterbench/grid/session.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/grid/runner.hpp"
#include "clusterbench/store/output_lock.hpp"
#include "clusterbench/store/record_codec.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::grid {
namespace fs = std::filesystem;

namespace {

/// Which rank fits a family: whole spaces per rank when there are at least as
/// many spaces as ranks (each embedding is computed once), else families
/// round-robin. Results do not depend on it (seeds come from each run's identity).
int owner_rank(std::size_t space, std::size_t algorithm, std::size_t spaces, std::size_t algorithms, int ranks) {
  const auto r = static_cast<std::size_t>(ranks);
  return static_cast<int>(spaces >= r ? space % r : (space * algorithms + algorithm) % r);
}

/// (part file, its data digest) of each store a merge reads.
using PartDigests = std::vector<std::pair<std::string, std::string>>;

/// What is already computed for this output: the file's runs and spaces, then the journal's.
struct StoredWork {
  records::GridResult previous;
  bool had_file = false;
  std::unordered_map<std::string, RunRecord> runs;      // by key; fitted (unscored) or finished, never failed
  std::unordered_map<std::string, SpaceRecord> spaces;  // by key
  std::size_t journaled_runs = 0;
  std::size_t journaled_spaces = 0;

  void load(const std::string& output, store::RunJournal& journal) {
    had_file = fs::exists(output);
    if (had_file) {
      store::ReadOptions read;
      read.profiles = false;  // every run is profiled again from its labels
      previous = store::read_results(output, read);
      for (const auto& run : previous.runs)
        if (run.status != "failed") runs[run.key] = run;
      for (const auto& space : previous.spaces)
        if (!space.key.empty() && space.points.rows() > 0) spaces[space.key] = space;
    }
    for (auto& run : journal.load()) {
      if (run.status == "failed") continue;
      ++journaled_runs;
      runs[run.key] = std::move(run);
    }
    for (auto& space : journal.load_spaces()) {
      ++journaled_spaces;
      spaces[space.key] = std::move(space);
    }
  }

  /// Adds the runs (failed ones too: they are results of this grid) and spaces of stores to
  /// merge; each must come from the same config text. Returns their data digests by file.
  PartDigests load_parts(const std::vector<std::string>& parts, const GridConfig& config) {
    PartDigests digests;
    for (const auto& part : parts) {
      store::ReadOptions read;
      read.profiles = false;
      auto stored = store::read_results(part, read);
      if (stored.provenance.config_text != config.text)
        throw InputError(fmt::format("{}: made from a different config than {} (merge joins parts of one grid)", part,
                                     parts.front()));
      digests.emplace_back(part, stored.provenance.data_digest);
      for (auto& run : stored.runs)
        if (!runs.count(run.key)) runs[run.key] = std::move(run);
      for (auto& space : stored.spaces)
        if (!space.key.empty() && space.points.rows() > 0 && !spaces.count(space.key))
          spaces[space.key] = std::move(space);
    }
    return digests;
  }
};

/// A merge must find every run and space of the grid in its parts, all of the same data.
void check_merge_complete(const GridResult& result, const PartDigests& digests) {
  for (const auto& [part, digest] : digests)
    if (digest != result.provenance.data_digest)
      throw InputError(fmt::format("{}: made from different data (digest {}) than the config's dataset now gives ({})",
                                   part, digest, result.provenance.data_digest));
  std::size_t missing = 0;
  const RunRecord* example = nullptr;
  for (const auto& run : result.runs)
    if (run.status == kElsewhere) {
      ++missing;
      if (!example) example = &run;
    }
  if (missing > 0)
    throw InputError(
        fmt::format("merge: {} of {} runs are in none of the parts (first: {} k={} in space '{}'); run the "
                    "missing shards first (clusterbench run CONFIG --shard i/N)",
                    missing, result.runs.size(), example->algorithm, example->k, example->space));
  for (const auto& space : result.spaces)
    if (space.points.rows() == 0)
      throw InputError(fmt::format("merge: the points of space '{}' are in none of the parts", space.label));
}

/// Whether a run is the stored one unchanged (not scored again, no stability added).
bool reused_as_stored(const StoredWork& stored, const RunRecord& run) {
  const auto it = stored.runs.find(run.key);
  if (it == stored.runs.end() || !it->second.scored) return false;
  const auto& before = it->second.stability;
  const auto& now = run.stability;
  if (before.has_value() != now.has_value()) return false;
  return !now || (before->resamples == now->resamples && before->fraction == now->fraction);
}

/// Rank 0 takes the runs and spaces the other ranks computed.
void merge_from_ranks(GridResult& result, const std::vector<std::vector<std::uint8_t>>& messages) {
  std::unordered_map<std::string, RunRecord> runs;
  std::vector<SpaceRecord> spaces;
  for (std::size_t r = 1; r < messages.size(); ++r) {
    std::vector<RunRecord> rank_runs;
    store::decode_records(messages[r], rank_runs, spaces);
    for (auto& run : rank_runs) runs[run.key] = std::move(run);
  }
  for (auto& run : result.runs) {
    if (run.status != kElsewhere) continue;
    const auto it = runs.find(run.key);
    if (it == runs.end()) {
      run.status = "failed";
      run.message = "the rank that owned this run did not return it";
      continue;
    }
    run = std::move(it->second);
    if (result.customers && !run.labels.empty()) run.profile = profile_run(*result.customers, run.labels);
  }
  for (auto& space : result.spaces) {
    if (space.points.rows() > 0) continue;
    for (auto& received : spaces)
      if (received.key == space.key && received.points.rows() > 0) space = std::move(received);
  }
}

/// Whether the file already holds exactly this result (then it is left untouched).
bool file_is_current(const StoredWork& stored, const GridResult& result, std::size_t computed_runs,
                     std::size_t computed_spaces) {
  if (!stored.had_file || computed_runs > 0 || computed_spaces > 0) return false;
  const auto& previous = stored.previous;
  if (previous.provenance.schema_version != store::kSchemaVersion ||  // an older layout is rewritten in the current one
      previous.provenance.data_digest != result.provenance.data_digest ||
      previous.provenance.config_text != result.provenance.config_text ||
      previous.provenance.shard != result.provenance.shard || previous.runs.size() != result.runs.size() ||
      previous.spaces.size() != result.spaces.size())
    return false;
  std::set<std::string> keys;
  for (const auto& run : previous.runs) keys.insert(run.key);
  for (const auto& run : result.runs)
    if (!keys.count(run.key)) return false;
  std::set<std::string> space_keys;
  for (const auto& space : previous.spaces) space_keys.insert(space.key + "/" + space.label);
  for (const auto& space : result.spaces)
    if (!space_keys.count(space.key + "/" + space.label)) return false;
  return true;
}

}  // namespace

SessionOutcome run_session(GridConfig config, const SessionOptions& options) {
  const auto& processes = options.processes;
  if (!options.output.empty()) config.output = options.output;
  SessionOutcome outcome;
  outcome.output = config.output;

  std::unique_ptr<store::OutputLock> lock;
  if (processes.rank == 0) {
    lock = std::make_unique<store::OutputLock>(config.output);
    lock->remove_stale_temporaries();  // left by a writer killed mid-write
  }
  store::ensure_writable(config.output);
  store::RunJournal journal(config.output);
  StoredWork stored;
  stored.load(config.output, journal);
  const bool merging = !options.merge_parts.empty();
  const PartDigests part_digests = merging ? stored.load_parts(options.merge_parts, config) : PartDigests{};
  // No rank may see in the journal what another rank of this grid has just added.
  processes.barrier();

  std::mutex count_mutex;
  std::size_t computed_runs = 0, computed_spaces = 0;
  RunnerHooks hooks;
  hooks.find_stored = [&](const std::string& key) -> const RunRecord* {
    const auto it = stored.runs.find(key);
    return it == stored.runs.end() ? nullptr : &it->second;
  };
  hooks.find_space = [&](const std::string& key) -> const SpaceRecord* {
    const auto it = stored.spaces.find(key);
    return it == stored.spaces.end() ? nullptr : &it->second;
  };
  // Every rank journals what it computes: a killed process loses nothing that finished.
  hooks.on_space_computed = [&](const SpaceRecord& space) {
    journal.append_space(space);
    std::lock_guard guard(count_mutex);
    ++computed_spaces;
  };
  hooks.on_run_fitted = [&](const RunRecord& run) { journal.append(run); };
  hooks.on_run_finished = [&](const RunRecord& run) {
    journal.append(run);
    std::lock_guard guard(count_mutex);
    ++computed_runs;
  };
  const std::size_t spaces = config.spaces.size(), algorithms = config.algorithms.size();
  if (merging) {
    hooks.owns_family = [](std::size_t, std::size_t) { return false; };  // everything comes from the parts
  } else if (processes.size > 1) {
    hooks.owns_family = [&processes, spaces, algorithms](std::size_t s, std::size_t a) {
      return owner_rank(s, a, spaces, algorithms, processes.size) == processes.rank;
    };
  } else if (!options.shard.whole()) {
    const Shard shard = options.shard;
    hooks.owns_family = [shard, spaces, algorithms](std::size_t s, std::size_t a) {
      return owner_rank(s, a, spaces, algorithms, shard.count) == shard.index;
    };
  }
  hooks.stop = options.stop;
  hooks.progress = options.progress && processes.rank == 0;
  hooks.threads_override = options.threads;
  hooks.memory_budget_bytes = options.memory_budget_bytes;
  hooks.program_version = options.program_version;
  hooks.git_commit = options.git_commit;

  auto result = run_grid(config, hooks);
  outcome.interrupted = options.stop != nullptr && options.stop->load();

  if (processes.size > 1) {
    // Each rank sends what it computed (runs not stored before, spaces it embedded) to rank 0, the one writer.
    std::vector<RunRecord> computed;
    for (const auto& run : result.runs)
      if (run.status != kElsewhere && !reused_as_stored(stored, run)) computed.push_back(run);
    std::vector<SpaceRecord> embedded;
    for (const auto& space : result.spaces)
      if (space.points.rows() > 0 && !stored.spaces.count(space.key)) embedded.push_back(space);
    const auto messages = processes.gather(store::encode_records(computed, embedded));
    if (processes.rank != 0) return outcome;
    merge_from_ranks(result, messages);
  }
  if (merging) check_merge_complete(result, part_digests);
  if (!options.shard.whole()) {
    // A part holds only what it fitted and embedded; `merge` puts the grid together.
    std::erase_if(result.runs, [](const RunRecord& run) { return run.status == kElsewhere; });
    std::erase_if(result.spaces, [](const SpaceRecord& space) { return space.points.rows() == 0; });
    result.provenance.shard = fmt::format("{}/{}", options.shard.index + 1, options.shard.count);
  }

  std::set<std::string> planned;
  for (const auto& run : result.runs) planned.insert(run.key);
  outcome.planned = planned.size();
  for (const auto& key : planned)
    if (stored.runs.count(key)) ++outcome.reused;  // its fit came from the file or the journal
  outcome.computed = outcome.planned - outcome.reused;
  if (outcome.interrupted) {
    // The journal holds every finished run; the file stays as it was, whole.
    outcome.journaled = journal.load().size();
    outcome.result = std::move(result);
    return outcome;
  }

  if (stored.had_file && stored.previous.provenance.data_digest == result.provenance.data_digest) {
    // Runs of the same data from an earlier config stay in the file: nothing computed is lost.
    for (auto& run : stored.previous.runs)
      if (!planned.count(run.key)) {
        if (result.customers && !run.labels.empty()) run.profile = profile_run(*result.customers, run.labels);
        result.runs.push_back(std::move(run));
      }
  } else if (stored.had_file) {
    outcome.moved_previous = config.output + ".previous.h5";
    fs::rename(config.output, outcome.moved_previous);
    stored.had_file = false;
  }
  if (file_is_current(stored, result, computed_runs, computed_spaces)) {
    result.provenance = stored.previous.provenance;  // the file's, which stays
  } else {
    store::write_results(config.output, result);
    outcome.written = true;
  }
  journal.clear();
  outcome.result = std::move(result);
  return outcome;
}

}  // namespace cb::grid
