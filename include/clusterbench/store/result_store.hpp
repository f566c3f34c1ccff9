#pragma once
// The HDF5 results store: one file per grid, one writer. The file is only
// ever replaced whole (written beside it, then renamed), so a reader never
// sees a half-written file and a killed grid never corrupts it. Runs finished
// since the last write live in a journal next to it until the next write.
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clusterbench/records/results.hpp"

namespace cb::store {

/// Version of the layout documented in the README ("Results schema"). Version 2
/// added /customers and /profiles; version 1 files are still read (without them).
inline constexpr int kSchemaVersion = 3;
inline constexpr int kOldestReadableSchema = 1;

/// Writes the whole result atomically. Throws IoError when the destination is
/// not writable (and leaves no file behind).
void write_results(const std::string& path, const records::GridResult& result);

struct ReadOptions {
  bool labels = true;    ///< read per-run labels and model arrays
  bool data = true;      ///< read ids, features, reference space, spaces and customer segments
  bool profiles = true;  ///< read per-run profiles (/profiles)
};

/// Reads a results file back. Throws InputError when it is missing or not a
/// clusterbench results file.
records::GridResult read_results(const std::string& path, const ReadOptions& options = {});

/// What is computed but not yet in the HDF5 file: one small file per run
/// (fitted, then again when scored) and per space, in `<results>.journal/`,
/// each written to a temporary name and renamed, so `kill -9` loses nothing
/// that finished and never leaves half an entry. Thread-safe.
class RunJournal {
 public:
  explicit RunJournal(std::string results_path);
  void append(const records::RunRecord& run);
  void append_space(const records::SpaceRecord& space);
  std::vector<records::RunRecord> load() const;
  std::vector<records::SpaceRecord> load_spaces() const;
  void clear();
  const std::string& directory() const { return directory_; }

 private:
  void write_entry(const std::string& name, const std::vector<std::uint8_t>& bytes);
  std::string directory_;
  std::mutex mutex_;
};

/// Creates the parent folder of `path` and checks that a file can be created
/// there; throws IoError naming the path otherwise. Leaves nothing behind.
void ensure_writable(const std::string& path);

/// Writes `bytes` to `path`.tmp-PID, syncs it and renames it to `path`. A
/// failure (full disk, `ulimit -f`) throws IoError with the system's reason
/// (strerror) and removes the temporary file; `path` is left as it was.
void write_bytes_atomically(const std::string& path, std::string_view bytes);

}  // namespace cb::store
