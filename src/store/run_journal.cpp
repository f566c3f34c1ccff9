// The journal: one CBOR file per fitted or finished run and per computed
// space, written to a temporary name and renamed, so an entry is either
// wholly in the journal or not at all.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/store/record_codec.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::store {
namespace fs = std::filesystem;

namespace {

constexpr const char* kSpacePrefix = "space-";

/// The journal's entries of one kind, in name order (so loading is deterministic).
std::vector<std::vector<std::uint8_t>> read_entries(const std::string& directory, bool spaces) {
  std::vector<std::vector<std::uint8_t>> entries;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) return entries;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (entry.path().extension() != ".cbor") continue;
    const bool is_space = entry.path().filename().string().rfind(kSpacePrefix, 0) == 0;
    if (is_space == spaces) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    entries.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return entries;
}

}  // namespace

RunJournal::RunJournal(std::string results_path) : directory_(std::move(results_path) + ".journal") {}

void RunJournal::write_entry(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  fs::create_directories(directory_, ec);
  if (ec) throw IoError(fmt::format("{}: cannot create the journal folder: {}", directory_, ec.message()));
  const auto final_path = fs::path(directory_) / (name + ".cbor");
  const auto temp_path = fs::path(directory_) / (name + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(temp_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      const int reason = errno;
      out.close();
      fs::remove(temp_path, ec);
      throw IoError(fmt::format("{}: cannot write journal entry: {}", temp_path.string(), std::strerror(reason)));
    }
  }
  fs::rename(temp_path, final_path, ec);
  if (ec) {
    fs::remove(temp_path, ec);
    throw IoError(fmt::format("{}: cannot rename journal entry: {}", final_path.string(), ec.message()));
  }
}

void RunJournal::append(const records::RunRecord& run) { write_entry(run.key, encode_run(run)); }

void RunJournal::append_space(const records::SpaceRecord& space) {
  write_entry(kSpacePrefix + space.key, encode_records({}, std::span<const records::SpaceRecord>(&space, 1)));
}

std::vector<records::RunRecord> RunJournal::load() const {
  std::vector<records::RunRecord> runs;
  for (const auto& bytes : read_entries(directory_, false)) {
    try {
      runs.push_back(decode_run(bytes));
    } catch (const InputError&) {
      continue;  // cannot happen for renamed files; skip rather than lose the rest
    }
  }
  return runs;
}

std::vector<records::SpaceRecord> RunJournal::load_spaces() const {
  std::vector<records::RunRecord> unused;
  std::vector<records::SpaceRecord> spaces;
  for (const auto& bytes : read_entries(directory_, true)) {
    try {
      decode_records(bytes, unused, spaces);
    } catch (const InputError&) {
      continue;
    }
  }
  return spaces;
}

void RunJournal::clear() {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  fs::remove_all(directory_, ec);
}

}  // namespace cb::store
