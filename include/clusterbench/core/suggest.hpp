#pragma once
// "Did you mean" hints for misspelt config keys and names.
#include <string>
#include <vector>

namespace cb {

/// Returns ` (did you mean 'x'?)` for the closest candidate within a small edit
/// distance, or an empty string.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace cb
