// `clusterbench algorithms`: what a config can name, with every parameter,
// its default and its range — printed from the registry's one declaration.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "clusterbench/grid/registry.hpp"
#include "commands.hpp"

namespace cb::cli {
namespace {

void print_params(const std::vector<grid::ParamSpec>& params) {
  std::size_t name_width = 22;  // one column per algorithm, widened for a long name
  for (const auto& p : params) name_width = std::max(name_width, p.name.size());
  for (const auto& p : params) {
    std::string range;
    if (p.min || p.max)
      range =
          fmt::format(" [{} .. {}]", p.min ? fmt::format("{}", *p.min) : "", p.max ? fmt::format("{}", *p.max) : "");
    if (!p.choices.empty()) range = fmt::format(" {{{}}}", fmt::join(p.choices, ", "));
    std::cout << fmt::format("    {:<{}} {:<7} default {}{}\n        {}\n", p.name, name_width, p.type,
                             p.default_value.dump(), range, p.help);
  }
}

}  // namespace

Runner add_algorithms_command(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("algorithms", "List the algorithms and spaces a config can use, with their parameters");
  (void)cmd;
  return [] {
    std::cout << "Algorithms (config: algorithms[].name, params under algorithms[].params):\n";
    for (const auto* a : grid::all_algorithms()) {
      std::cout << fmt::format("  {} — {}\n", a->name, a->summary);
      print_params(a->params);
    }
    std::cout << "Spaces (config: spaces[].name, params under spaces[].params):\n";
    for (const auto* s : grid::all_spaces()) {
      std::cout << fmt::format("  {} — {}\n", s->name, s->summary);
      print_params(s->params);
    }
    return static_cast<int>(kOk);
  };
}

}  // namespace cb::cli
