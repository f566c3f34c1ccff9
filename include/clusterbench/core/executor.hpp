#pragma once
// The one way algorithms run in parallel. Work over [0, n) is cut into fixed
// chunks whose boundaries depend only on n and the grain, never on the thread
// count; reductions keep one partial per chunk and merge them in chunk order.
// So results are bit-identical for 1 thread and N threads. The oneTBB
// implementation lives behind this interface (src/core/executor_tbb.cpp), so
// algorithm code never includes a TBB header.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace cb {

/// Half-open range of indices handed to a chunk body.
struct Range {
  std::size_t begin;
  std::size_t end;
  std::size_t size() const { return end - begin; }
};

class Executor {
 public:
  virtual ~Executor() = default;

  /// Calls body(chunk_index, range) for every chunk of [0, n) of `grain` items
  /// (the last may be shorter), possibly concurrently.
  virtual void for_chunks(std::size_t n, std::size_t grain,
                          const std::function<void(std::size_t, Range)>& body) const = 0;

  /// Runs the tasks, possibly concurrently; returns when all are done.
  virtual void run_all(const std::vector<std::function<void()>>& tasks) const = 0;

  /// Threads this executor may use (1 for the serial executor).
  virtual int concurrency() const = 0;

  /// Number of chunks for_chunks(n, grain) produces.
  static std::size_t chunk_count(std::size_t n, std::size_t grain) { return grain == 0 ? 0 : (n + grain - 1) / grain; }

  /// Parallel loop over fixed chunks of [0, n).
  template <class Body>
  void parallel_for(std::size_t n, std::size_t grain, Body&& body) const {
    for_chunks(n, grain, [&](std::size_t, Range r) { body(r); });
  }

  /// Deterministic reduction: map(range) -> T per fixed chunk, then
  /// merge(acc, partial) in chunk order starting from init.
  template <class T, class Map, class Merge>
  T reduce(std::size_t n, std::size_t grain, T init, Map&& map, Merge&& merge) const {
    std::vector<T> partials(chunk_count(n, grain), init);
    for_chunks(n, grain, [&](std::size_t chunk, Range r) { partials[chunk] = map(r); });
    T acc = std::move(init);
    for (auto& p : partials) merge(acc, p);
    return acc;
  }
};

/// Runs everything on the calling thread, in order.
const Executor& serial_executor();

/// A oneTBB-backed executor limited to `threads` threads (0 = all cores).
/// Nested use from inside its own tasks composes (one scheduler). When `stop`
/// is given and becomes true, every chunk and task not yet started throws
/// cb::Interrupted instead of running, so a stop request ends long kernels at
/// their next chunk boundary without any kernel knowing about it.
std::unique_ptr<Executor> make_parallel_executor(int threads, const std::atomic<bool>* stop = nullptr);

}  // namespace cb
