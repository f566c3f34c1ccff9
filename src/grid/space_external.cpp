// The external space: an embedding computed elsewhere, read from a CSV and joined to the points by id.
#include <sstream>

#include <fmt/format.h>

#include "builtin.hpp"
#include "clusterbench/core/error.hpp"
#include "cost_support.hpp"
#include "space_external_reader.hpp"
#include "space_support.hpp"

namespace cb::grid {
namespace {

struct ExternalParams {
  std::string path;
  std::string id_column = "id";
  std::string columns;  ///< comma-separated
};

const ParamTable<ExternalParams>& external_params() {
  return declared_once<ExternalParams>([](ParamTable<ExternalParams>& t) {
    t.add("path", &ExternalParams::path,
          "CSV with a header (plain or .gz), relative to the config file like dataset.path")
        .add("id_column", &ExternalParams::id_column, "column holding the dataset's point ids")
        .add("columns", &ExternalParams::columns,
             "comma-separated coordinate columns; empty = every other column numeric in the first data row");
  });
}

std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> names;
  std::stringstream in(text);
  for (std::string name; std::getline(in, name, ',');) {
    const auto first = name.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    names.push_back(name.substr(first, name.find_last_not_of(" \t") - first + 1));
  }
  return names;
}

SpaceInput load_input_external(const SpaceInputRequest& request) {
  const auto params = external_params().build(request.params);
  if (params.path.empty())
    throw ConfigError(fmt::format("{}.params: 'path' is missing (the embedding CSV)", request.where));
  if (params.id_column.empty())
    throw ConfigError(fmt::format("{}.params: 'id_column' must not be empty", request.where));
  return read_external_embedding({params.path, params.id_column, split_names(params.columns)}, request.ids);
}

SpaceResult compute_external(const SpaceRequest& request) {
  if (!request.input) throw Error("external space computed without its loaded input");
  SpaceResult result;
  result.points = request.input->points;
  result.values = request.input->values;
  add_trustworthiness(result, request);
  return result;
}

StepCost estimate_external(const CostQuery& q) {
  StepCost c;
  c.output_dims = 2;  // read from the file when the space's input is loaded; 2 is the usual embedding
  return cost::with_trustworthiness(c, q);
}

}  // namespace

SpaceEntry external_space_entry() {
  auto entry =
      space_entry("external", "an embedding computed elsewhere, read from a CSV and joined to the points by id",
                  with_trustworthiness(external_params().specs()), compute_external, estimate_external);
  entry.load_input = load_input_external;
  return entry;
}

}  // namespace cb::grid
