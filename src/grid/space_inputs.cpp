#include "space_inputs.hpp"

#include <fmt/format.h>

namespace cb::grid {

std::vector<SpaceInput> load_space_inputs(const GridConfig& config, const Dataset& data) {
  std::vector<SpaceInput> inputs(config.spaces.size());
  for (std::size_t s = 0; s < config.spaces.size(); ++s) {
    const auto& space = config.spaces[s];
    const SpaceEntry* entry = find_space(space.name);
    if (!entry || !entry->load_input) continue;
    const std::string where = fmt::format("{}:{}: spaces[{}]", config.path, space.line, space.label);
    inputs[s] = entry->load_input(SpaceInputRequest{space.params, data.ids, where});
  }
  return inputs;
}

std::string stored_space_params(const SpaceConfig& space, const SpaceInput& input) {
  Json params = space.params;
  for (const auto& [key, value] : input.details.items()) params[key] = value;
  return params.dump();
}

}  // namespace cb::grid
