#include "clusterbench/grid/grid_plan.hpp"

#include <fmt/format.h>

#include "clusterbench/core/rng.hpp"
#include "space_inputs.hpp"

namespace cb::grid {
namespace {

std::string hex64(std::uint64_t v) { return fmt::format("{:016x}", v); }

/// What determines a space's points: the data, its preprocessing, the space's params and input.
Json space_identity(const GridConfig& config, const SpaceConfig& space, const SpaceInput& input,
                    const std::string& digest, const std::string& version) {
  Json id;
  id["data"] = digest;
  id["prep"] = {{"log1p", config.prep.log1p}, {"scaling", std::string(prep::to_string(config.prep.scaling))}};
  id["space"] = {{"name", space.name}, {"params", space.params}};
  if (!input.digest.empty()) id["space"]["input"] = input.digest;  // a changed file invalidates its runs
  id["seed"] = config.seed;
  id["version"] = version;
  return id;
}

}  // namespace

GridPlan plan_grid(const GridConfig& config, const std::vector<SpaceInput>& space_inputs,
                   const std::string& data_digest, const std::string& program_version, Index points) {
  GridPlan plan;
  // Approximation settings change results only above the exact budget; below it keys stay as they were.
  Json approximation;
  if (config.approximation.sampled(points))
    approximation = {{"exact_up_to", config.approximation.exact_up_to},
                     {"silhouette_sample", config.approximation.silhouette_sample},
                     {"trustworthiness_sample", config.approximation.trustworthiness_sample}};
  for (std::size_t s = 0; s < config.spaces.size(); ++s) {
    const SpaceConfig& space = config.spaces[s];
    Json space_id = space_identity(config, space, space_inputs[s], data_digest, program_version);
    if (!approximation.is_null()) space_id["approximation"] = approximation;
    SpacePlan sp;
    sp.params = stored_space_params(space, space_inputs[s]);
    sp.seed = derive_seed(config.seed, "space/" + space.label + "/" + sp.params);
    std::uint64_t state = stable_hash("space/" + space_id.dump());
    sp.key = hex64(splitmix64(state));
    plan.spaces.push_back(std::move(sp));

    for (std::size_t a = 0; a < config.algorithms.size(); ++a) {
      const AlgorithmConfig& algo = config.algorithms[a];
      // The family identity: everything that determines a family's results except k
      // (keys in this order, so run keys and seeds stay those of earlier versions).
      Json identity;
      identity["data"] = space_id["data"];
      identity["prep"] = space_id["prep"];
      identity["space"] = space_id["space"];
      identity["algorithm"] = {{"name", algo.name}, {"params", algo.params}};
      identity["seed"] = config.seed;
      identity["scoring"] = {{"reference_space", config.score_reference_space},
                             {"max_noise_fraction", config.max_noise_fraction}};
      identity["version"] = program_version;
      // The seed before the approximation settings enter: they change scores, never fits.
      FamilyPlan family{s, a, derive_seed(config.seed, identity.dump()), {}};
      if (!approximation.is_null()) identity["approximation"] = approximation;
      for (int k : algo.ks) {
        Json run_identity = identity;
        run_identity["k"] = k;
        // Mixed so that keys of neighbouring k do not share most of their digits.
        std::uint64_t run_state = stable_hash(run_identity.dump());
        family.keys.push_back(hex64(splitmix64(run_state)));
      }
      plan.families.push_back(std::move(family));
    }
  }
  return plan;
}

}  // namespace cb::grid
