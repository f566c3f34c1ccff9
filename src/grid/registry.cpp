#include "clusterbench/grid/registry.hpp"

#include "builtin.hpp"

namespace cb::grid {
namespace {

const std::vector<AlgorithmEntry>& algorithms() {
  static const std::vector<AlgorithmEntry> entries{
#define CB_ALGORITHM(name) name##_entry(),
#define CB_SPACE(name)
#include "builtin_entries.def"
#undef CB_ALGORITHM
#undef CB_SPACE
  };
  return entries;
}

const std::vector<SpaceEntry>& spaces() {
  static const std::vector<SpaceEntry> entries{
#define CB_ALGORITHM(name)
#define CB_SPACE(name) name##_space_entry(),
#include "builtin_entries.def"
#undef CB_ALGORITHM
#undef CB_SPACE
  };
  return entries;
}

}  // namespace

const AlgorithmEntry* find_algorithm(const std::string& name) {
  for (const auto& e : algorithms())
    if (e.name == name) return &e;
  return nullptr;
}

const SpaceEntry* find_space(const std::string& name) {
  for (const auto& e : spaces())
    if (e.name == name) return &e;
  return nullptr;
}

std::vector<const AlgorithmEntry*> all_algorithms() {
  std::vector<const AlgorithmEntry*> out;
  for (const auto& e : algorithms()) out.push_back(&e);
  return out;
}

std::vector<const SpaceEntry*> all_spaces() {
  std::vector<const SpaceEntry*> out;
  for (const auto& e : spaces()) out.push_back(&e);
  return out;
}

}  // namespace cb::grid
