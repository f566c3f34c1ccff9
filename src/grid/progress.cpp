#include "clusterbench/grid/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace cb::grid {

Progress::Progress(std::size_t total, bool enabled)
    : total_(total), enabled_(enabled && ::isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}

void Progress::finished(bool failed) {
  ++computed_;
  if (failed) ++failed_;
  draw();
}

void Progress::skipped() {
  ++skipped_;
  draw();
}

void Progress::draw() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::size_t computed = computed_, skipped = skipped_, remaining = total_ - computed - skipped;
  const double eta = computed > 0 ? elapsed / static_cast<double>(computed) * static_cast<double>(remaining) : 0.0;
  fmt::print(stderr, "\r[{}/{}] {} computed, {} stored, {} failed | {:.1f}s elapsed, ETA {:.1f}s   ",
             computed + skipped, total_, computed, skipped, failed_.load(), elapsed, eta);
  std::fflush(stderr);
}

void Progress::done() {
  if (enabled_) fmt::print(stderr, "\n");
}

}  // namespace cb::grid
