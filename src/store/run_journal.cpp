// The journal: one CBOR file per finished run, written to a temporary name and
// renamed, so a run is either wholly in the journal or not at all.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/store/record_codec.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::store {
namespace fs = std::filesystem;

RunJournal::RunJournal(std::string results_path) : directory_(std::move(results_path) + ".journal") {}

void RunJournal::append(const grid::RunRecord& run) {
  const auto bytes = encode_run(run);
  std::lock_guard lock(mutex_);
  fs::create_directories(directory_);
  const auto final_path = fs::path(directory_) / (run.key + ".cbor");
  const auto temp_path = fs::path(directory_) / (run.key + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(temp_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw IoError(fmt::format("{}: cannot write journal entry", temp_path.string()));
  }
  fs::rename(temp_path, final_path);
}

std::vector<grid::RunRecord> RunJournal::load() const {
  std::vector<grid::RunRecord> runs;
  if (!fs::is_directory(directory_)) return runs;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory_))
    if (entry.path().extension() == ".cbor") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      runs.push_back(decode_run(bytes));
    } catch (const InputError&) {
      continue;  // cannot happen for renamed files; skip rather than lose the rest
    }
  }
  return runs;
}

void RunJournal::clear() {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  fs::remove_all(directory_, ec);
}

}  // namespace cb::store
