// `clusterbench plan CONFIG`: the grid's steps with estimated CPU time and
// memory, the approximations its budgets imply and the schedule `run` will
// follow, without running anything (the data is read to know its size).
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "byte_size.hpp"
#include "clusterbench/grid/runner.hpp"
#include "commands.hpp"
#include "subcommand.hpp"
#include "validators.hpp"

namespace cb::cli {
namespace {

struct PlanArgs {
  std::string config;
  int threads = -1;
  std::string memory;
  std::string format = "table";
};

std::string seconds_text(double s) {
  if (s < 0.05) return "<0.1 s";
  if (s < 120) return fmt::format("{:.1f} s", s);
  if (s < 7200) return fmt::format("{:.1f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

nlohmann::json to_json(const grid::GridConfig& config, const grid::GridEstimate& e) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : e.steps)
    steps.push_back({{"space", config.spaces[step.space].label},
                     {"kind", step.kind},
                     {"name", step.name},
                     {"detail", step.detail},
                     {"method", step.cost.method},
                     {"approximated", step.cost.approximated},
                     {"cpu_seconds", step.cost.cpu_seconds},
                     {"peak_bytes", step.cost.peak_bytes}});
  nlohmann::json waves = nlohmann::json::array();
  for (const auto& wave : e.waves) {
    nlohmann::json labels = nlohmann::json::array();
    for (std::size_t s : wave) labels.push_back(config.spaces[s].label);
    waves.push_back(labels);
  }
  return {{"config", config.path},
          {"points", e.points},
          {"features", e.features},
          {"runs", e.runs},
          {"threads", e.threads},
          {"memory_budget_bytes", e.memory_budget_bytes},
          {"steps", steps},
          {"waves", waves},
          {"cpu_seconds", e.cpu_seconds},
          {"wall_seconds", e.wall_seconds},
          {"peak_bytes", e.peak_bytes},
          {"approximations", e.approximations}};
}

void print_table(const grid::GridConfig& config, const grid::GridEstimate& e) {
  std::cout << fmt::format(
      "plan for {}: {} points x {} features, {} spaces, {} runs, {} thread(s), memory budget {}\n\n", config.path,
      e.points, e.features, config.spaces.size(), e.runs, e.threads, grid::format_bytes(e.memory_budget_bytes));
  std::size_t w_space = 5, w_name = 4, w_detail = 6, w_method = 6;
  for (const auto& step : e.steps) {
    w_space = std::max(w_space, config.spaces[step.space].label.size());
    w_name = std::max(w_name, step.name.size());
    w_detail = std::max(w_detail, step.detail.size());
    w_method = std::max(w_method, step.cost.method.size());
  }
  std::cout << fmt::format("{:<{}}  {:<5}  {:<{}}  {:<{}}  {:<{}}  {:>10}  {:>10}\n", "space", w_space, "step", "what",
                           w_name, "detail", w_detail, "method", w_method, "est. CPU", "est. mem");
  for (const auto& step : e.steps)
    std::cout << fmt::format("{:<{}}  {:<5}  {:<{}}  {:<{}}  {:<{}}  {:>10}  {:>10}\n", config.spaces[step.space].label,
                             w_space, step.kind, step.name, w_name, step.detail, w_detail,
                             step.cost.method.empty() ? "-" : step.cost.method, w_method,
                             seconds_text(step.cost.cpu_seconds), grid::format_bytes(step.cost.peak_bytes));
  std::cout << "\nschedule:";
  for (std::size_t w = 0; w < e.waves.size(); ++w) {
    std::vector<std::string> labels;
    for (std::size_t s : e.waves[w]) labels.push_back(config.spaces[s].label);
    std::cout << fmt::format("{} {}", w == 0 ? "" : ";  then", fmt::join(labels, ", "));
  }
  std::cout << (e.waves.size() == 1 ? " (side by side, largest first)\n"
                                    : " (each group side by side: the budget does not hold them all at once)\n");
  std::cout << fmt::format("estimate: {} CPU, {} wall on {} thread(s); peak memory {} (budget {})\n",
                           seconds_text(e.cpu_seconds), seconds_text(e.wall_seconds), e.threads,
                           grid::format_bytes(e.peak_bytes), grid::format_bytes(e.memory_budget_bytes));
  if (e.peak_bytes > e.memory_budget_bytes)
    std::cout
        << "warning: the largest step alone exceeds the memory budget; lower its size parameters or raise --memory\n";
  if (e.approximations.empty()) {
    std::cout << fmt::format("approximated: nothing (n = {} <= scoring.exact_up_to = {})\n", e.points,
                             config.approximation.exact_up_to);
  } else {
    for (const auto& line : e.approximations) std::cout << "approximated: " << line << "\n";
  }
}

int plan(const PlanArgs& args) {
  const auto config = grid::load_config(args.config);
  const double budget = args.memory.empty() ? 0 : parse_byte_size(args.memory, "--memory");
  const auto estimate = grid::estimate_config(config, args.threads, budget);
  if (args.format == "json") std::cout << to_json(config, estimate).dump(2) << "\n";
  else print_table(config, estimate);
  return kOk;
}

}  // namespace

Runner add_plan_command(CLI::App& app) {
  auto [args, cmd] =
      add_subcommand<PlanArgs>(app, "plan",
                               "Show a grid's steps with estimated time and memory, its approximations and "
                               "schedule, without running it");
  cmd->add_option("config", args->config, "grid config (YAML)")->required()->check(CLI::ExistingFile);
  add_threads_option(*cmd, args->threads);
  cmd->add_option("--memory", args->memory, "memory budget, e.g. 8G or 40%; default: half of physical memory");
  cmd->add_option("--format", args->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  return [args = args] { return plan(*args); };
}

}  // namespace cb::cli
