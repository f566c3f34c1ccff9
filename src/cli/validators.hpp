#pragma once
// Option checks with short messages: CLI11's NonNegativeNumber and
// PositiveNumber print their range's bound, a 300-digit number.
#include <CLI/CLI.hpp>

#include <string>

namespace cb::cli {

/// Accepts integers >= `least`; otherwise "must be an integer >= LEAST".
inline CLI::Validator at_least(long long least) {
  return CLI::Validator(
      [least](std::string& text) -> std::string {
        long long value = 0;
        std::size_t used = 0;
        try {
          value = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != text.size() || used == 0 || value < least)
          return "must be an integer >= " + std::to_string(least) + ", got '" + text.substr(0, 40) + "'";
        return {};
      },
      "INT>=" + std::to_string(least));
}

}  // namespace cb::cli
