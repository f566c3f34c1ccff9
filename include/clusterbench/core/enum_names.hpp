#pragma once
// One name table per enum. The config parser, the stored parameters,
// `clusterbench algorithms` and error messages all read the same table, so a
// value is spelled one way everywhere and a new value is added in one place.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cb {

template <class Enum>
struct EnumName {
  std::string_view name;
  Enum value;
};

/// The name of `value` in its table ("?" when the table lacks it: a programmer error).
template <class Enum, std::size_t N>
constexpr std::string_view name_of(const EnumName<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "?";
}

/// The value named `name`, if the table has it.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> value_of(const EnumName<Enum> (&table)[N], std::string_view name) {
  for (const auto& entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

/// Every name of the table, in its order.
template <class Enum, std::size_t N>
std::vector<std::string> names_of(const EnumName<Enum> (&table)[N]) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.name);
  return names;
}

/// "a, b or c", for messages.
template <class Enum, std::size_t N>
std::string listed_names(const EnumName<Enum> (&table)[N]) {
  std::string text;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) text += i + 1 == N ? " or " : ", ";
    text += table[i].name;
  }
  return text;
}

}  // namespace cb
