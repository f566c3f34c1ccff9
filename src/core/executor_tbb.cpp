// oneTBB implementation of the Executor: the project's one scheduler.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/executor.hpp"

namespace cb {
namespace {

class TbbExecutor final : public Executor {
 public:
  TbbExecutor(int threads, const std::atomic<bool>* stop)
      : arena_(threads > 0 ? threads : tbb::task_arena::automatic), stop_(stop) {}

  void for_chunks(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, Range)>& body) const override {
    const std::size_t chunks = chunk_count(n, grain);
    if (chunks == 0) return;
    if (chunks == 1) {
      check_stop();
      body(0, Range{0, n});
      return;
    }
    arena_.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1),
                        [&](const tbb::blocked_range<std::size_t>& r) {
                          for (std::size_t c = r.begin(); c != r.end(); ++c) {
                            check_stop();
                            body(c, Range{c * grain, std::min(n, (c + 1) * grain)});
                          }
                        });
    });
  }

  void run_all(const std::vector<std::function<void()>>& tasks) const override {
    arena_.execute([&] {
      tbb::task_group group;
      for (const auto& task : tasks)
        group.run([this, &task] {
          check_stop();
          task();
        });
      group.wait();
    });
  }

  int concurrency() const override { return arena_.max_concurrency(); }

 private:
  void check_stop() const {
    if (stop_ != nullptr && stop_->load(std::memory_order_relaxed)) throw Interrupted("stopped on request");
  }
  mutable tbb::task_arena arena_;
  const std::atomic<bool>* stop_;
};

}  // namespace

std::unique_ptr<Executor> make_parallel_executor(int threads, const std::atomic<bool>* stop) {
  return std::make_unique<TbbExecutor>(threads, stop);
}

}  // namespace cb
