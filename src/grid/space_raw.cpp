// The raw space: the preprocessed features themselves.
#include "builtin.hpp"
#include "cost_support.hpp"

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
  entry.estimate = [](const CostQuery& q) {
    StepCost c;
    c.output_dims = q.dims;
    c.peak_bytes = 8.0 * static_cast<double>(q.points * q.dims);  // a copy of the features
    return c;
  };
  return entry;
}

}  // namespace cb::grid
