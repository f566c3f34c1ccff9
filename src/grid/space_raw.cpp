// The raw space: the preprocessed features themselves.
#include "builtin.hpp"

namespace cb::grid {

SpaceEntry raw_space_entry() {
  SpaceEntry entry;
  entry.name = "raw";
  entry.summary = "the preprocessed feature space itself";
  entry.compute = [](const SpaceRequest& request) {
    SpaceResult result;
    result.points = request.features;
    return result;
  };
  return entry;
}

}  // namespace cb::grid
