#include "label_encoding.hpp"

#include <algorithm>

namespace cb::metrics::detail {

EncodedLabels encode_labels(const Labels& labels, bool exclude_noise) {
  std::vector<Label> distinct;
  distinct.reserve(labels.size());
  for (Label l : labels)
    if (!(exclude_noise && l == kNoise)) distinct.push_back(l);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());

  EncodedLabels out;
  out.codes.resize(labels.size());
  out.counts.assign(distinct.size(), 0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (exclude_noise && labels[i] == kNoise) {
      out.codes[i] = kNoise;
      ++out.noise;
      continue;
    }
    const auto code =
        static_cast<Label>(std::lower_bound(distinct.begin(), distinct.end(), labels[i]) - distinct.begin());
    out.codes[i] = code;
    ++out.counts[static_cast<std::size_t>(code)];
  }
  return out;
}

}  // namespace cb::metrics::detail
