// CBOR encoding of run and space records (journal entries, MPI messages).
#include "clusterbench/store/record_codec.hpp"

#include <nlohmann/json.hpp>

#include "clusterbench/core/error.hpp"

namespace cb::store {
using nlohmann::json;

namespace {

json matrix_to_json(const Matrix& m) {
  return {{"rows", m.rows()}, {"cols", m.cols()}, {"data", std::vector<double>(m.data(), m.data() + m.size())}};
}

Matrix matrix_from_json(const json& j) {
  const auto data = j["data"].get<std::vector<double>>();
  return Eigen::Map<const Matrix>(data.data(), j["rows"].get<Index>(), j["cols"].get<Index>());
}

json stability_to_json(const std::optional<records::RunStability>& s) {
  if (!s) return nullptr;
  return {{"resamples", s->resamples},
          {"fraction", s->fraction},
          {"ari_mean", s->ari_mean},
          {"ari_sd", s->ari_sd},
          {"cluster_jaccard", s->cluster_jaccard}};
}

std::optional<records::RunStability> stability_from_json(const json& j) {
  if (j.is_null()) return std::nullopt;
  return records::RunStability{j.at("resamples").get<int>(), j.at("fraction").get<double>(),
                               j.at("ari_mean").get<double>(), j.at("ari_sd").get<double>(),
                               j.at("cluster_jaccard").get<std::vector<double>>()};
}

/// NaN does not survive JSON text but does survive CBOR; maps are stored as lists of pairs.
json run_to_json(const records::RunRecord& r) {
  json arrays = json::object();
  for (const auto& [name, m] : r.arrays) arrays[name] = matrix_to_json(m);
  return {{"key", r.key},
          {"space", r.space},
          {"algorithm", r.algorithm},
          {"params", r.params},
          {"k", r.k},
          {"k_found", r.k_found},
          {"seed", r.seed},
          {"status", r.status},
          {"message", r.message},
          {"scores", r.scores},
          {"values", r.values},
          {"fit_seconds", r.fit_seconds},
          {"score_seconds", r.score_seconds},
          {"labels", r.labels},
          {"arrays", arrays},
          {"scored", r.scored},
          {"cluster_sizes", r.cluster_sizes},
          {"stability", stability_to_json(r.stability)}};
}

records::RunRecord run_from_json(const json& j) {
  records::RunRecord r;
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
  r.scored = j.value("scored", true);
  if (j.contains("cluster_sizes")) r.cluster_sizes = j["cluster_sizes"].get<std::vector<std::int64_t>>();
  if (j.contains("stability")) r.stability = stability_from_json(j["stability"]);
  return r;
}

json space_to_json(const records::SpaceRecord& s) {
  json arrays = json::object();
  for (const auto& [name, m] : s.arrays) arrays[name] = matrix_to_json(m);
  return {{"key", s.key},
          {"label", s.label},
          {"name", s.name},
          {"params", s.params},
          {"points", matrix_to_json(s.points)},
          {"values", s.values},
          {"arrays", arrays},
          {"seconds", s.seconds}};
}

records::SpaceRecord space_from_json(const json& j) {
  records::SpaceRecord s;
  s.key = j.value("key", std::string());
  s.label = j["label"];
  s.name = j["name"];
  s.params = j["params"];
  s.points = matrix_from_json(j["points"]);
  s.values = j["values"].get<std::map<std::string, double>>();
  for (const auto& [name, m] : j["arrays"].items()) s.arrays[name] = matrix_from_json(m);
  s.seconds = j["seconds"];
  return s;
}

json parse(std::span<const std::uint8_t> bytes, const char* what) {
  try {
    return json::from_cbor(bytes.begin(), bytes.end());
  } catch (const json::exception& e) {
    throw InputError(std::string("not an encoded ") + what + ": " + e.what());
  }
}

}  // namespace

std::vector<std::uint8_t> encode_run(const records::RunRecord& run) { return json::to_cbor(run_to_json(run)); }

records::RunRecord decode_run(std::span<const std::uint8_t> bytes) {
  try {
    return run_from_json(parse(bytes, "run"));
  } catch (const json::exception& e) {
    throw InputError(std::string("not an encoded run: ") + e.what());
  }
}

std::vector<std::uint8_t> encode_records(std::span<const records::RunRecord> runs,
                                         std::span<const records::SpaceRecord> spaces) {
  json message = {{"runs", json::array()}, {"spaces", json::array()}};
  for (const auto& r : runs) message["runs"].push_back(run_to_json(r));
  for (const auto& s : spaces) message["spaces"].push_back(space_to_json(s));
  return json::to_cbor(message);
}

void decode_records(std::span<const std::uint8_t> bytes, std::vector<records::RunRecord>& runs,
                    std::vector<records::SpaceRecord>& spaces) {
  const json message = parse(bytes, "record message");
  try {
    for (const auto& r : message.at("runs")) runs.push_back(run_from_json(r));
    for (const auto& s : message.at("spaces")) spaces.push_back(space_from_json(s));
  } catch (const json::exception& e) {
    throw InputError(std::string("not an encoded record message: ") + e.what());
  }
}

}  // namespace cb::store
