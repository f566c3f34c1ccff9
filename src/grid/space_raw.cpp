// The raw space: the preprocessed features themselves.
#include "builtin.hpp"
#include "cost_support.hpp"

namespace cb::grid {
namespace {

SpaceResult compute_raw(const SpaceRequest& request) {
  SpaceResult result;
  result.points = request.features;
  return result;
}

StepCost estimate_raw(const CostQuery& q) {
  StepCost c;
  c.output_dims = q.dims;
  c.peak_bytes = 8.0 * static_cast<double>(q.points * q.dims);  // a copy of the features
  return c;
}

}  // namespace

SpaceEntry raw_space_entry() {
  return space_entry("raw", "the preprocessed feature space itself", {}, compute_raw, estimate_raw);
}

}  // namespace cb::grid
