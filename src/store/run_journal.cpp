// The journal: one CBOR file per finished run, written to a temporary name and
// renamed, so a run is either wholly in the journal or not at all.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clusterbench/core/error.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::store {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json matrix_to_json(const Matrix& m) {
  return {{"rows", m.rows()}, {"cols", m.cols()}, {"data", std::vector<double>(m.data(), m.data() + m.size())}};
}

Matrix matrix_from_json(const json& j) {
  const auto data = j["data"].get<std::vector<double>>();
  return Eigen::Map<const Matrix>(data.data(), j["rows"].get<Index>(), j["cols"].get<Index>());
}

/// NaN does not survive JSON text but does survive CBOR; maps are stored as lists of pairs.
json run_to_json(const grid::RunRecord& r) {
  json arrays = json::object();
  for (const auto& [name, m] : r.arrays) arrays[name] = matrix_to_json(m);
  return {{"key", r.key},          {"space", r.space},   {"algorithm", r.algorithm}, {"params", r.params},
          {"k", r.k},              {"k_found", r.k_found}, {"seed", r.seed},         {"status", r.status},
          {"message", r.message},  {"scores", r.scores}, {"values", r.values},       {"fit_seconds", r.fit_seconds},
          {"score_seconds", r.score_seconds}, {"labels", r.labels}, {"arrays", arrays}};
}

grid::RunRecord run_from_json(const json& j) {
  grid::RunRecord r;
  r.key = j["key"];
  r.space = j["space"];
  r.algorithm = j["algorithm"];
  r.params = j["params"];
  r.k = j["k"];
  r.k_found = j["k_found"];
  r.seed = j["seed"];
  r.status = j["status"];
  r.message = j["message"];
  r.scores = j["scores"].get<std::map<std::string, double>>();
  r.values = j["values"].get<std::map<std::string, double>>();
  r.fit_seconds = j["fit_seconds"];
  r.score_seconds = j["score_seconds"];
  r.labels = j["labels"].get<Labels>();
  for (const auto& [name, m] : j["arrays"].items()) r.arrays[name] = matrix_from_json(m);
  return r;
}

}  // namespace

RunJournal::RunJournal(std::string results_path) : directory_(std::move(results_path) + ".journal") {}

void RunJournal::append(const grid::RunRecord& run) {
  const auto bytes = json::to_cbor(run_to_json(run));
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
    const auto parsed = json::from_cbor(bytes, true, false);
    if (parsed.is_discarded()) continue;  // cannot happen for renamed files; skip rather than lose the rest
    runs.push_back(run_from_json(parsed));
  }
  return runs;
}

void RunJournal::clear() {
  std::lock_guard lock(mutex_);
  std::error_code ec;
  fs::remove_all(directory_, ec);
}

}  // namespace cb::store
