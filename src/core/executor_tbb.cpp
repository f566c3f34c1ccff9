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

// ThreadSanitizer cannot see the synchronisation inside Debian's libtbb (it is
// not instrumented): neither that a task starts after the code that spawned it
// nor that wait() returns after every task ended. These annotations state both
// edges, so TSan checks our code under the ordering oneTBB really gives and
// reports only races between tasks that can run at the same time.
#if defined(__SANITIZE_THREAD__)
#define CB_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CB_TSAN 1
#endif
#endif
#ifdef CB_TSAN
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
void happens_before(void* token) { __tsan_release(token); }
void happens_after(void* token) { __tsan_acquire(token); }
#else
void happens_before(void*) {}
void happens_after(void*) {}
#endif

/// Orders a parallel section for TSan: its start before every task, every task
/// (also one that throws) before its end. Lives exactly as long as the section.
class SectionOrder {
 public:
  class Task {
   public:
    explicit Task(SectionOrder& section) : section_(section) { happens_after(&section_.spawn_); }
    ~Task() { happens_before(&section_.join_); }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;

   private:
    SectionOrder& section_;
  };
  SectionOrder() { happens_before(&spawn_); }
  ~SectionOrder() { happens_after(&join_); }  // the section's end, reached after wait() returned or threw
  SectionOrder(const SectionOrder&) = delete;
  SectionOrder& operator=(const SectionOrder&) = delete;

 private:
  char spawn_ = 0;
  char join_ = 0;
};

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
    SectionOrder order;
    arena_.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        const SectionOrder::Task ordered(order);
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
          check_stop();
          body(c, Range{c * grain, std::min(n, (c + 1) * grain)});
        }
      });
    });
  }

  void run_all(const std::vector<std::function<void()>>& tasks) const override {
    SectionOrder order;
    arena_.execute([&] {
      tbb::task_group group;
      for (const auto& task : tasks)
        group.run([this, &task, &order] {
          const SectionOrder::Task ordered(order);
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
