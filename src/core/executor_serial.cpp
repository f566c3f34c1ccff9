#include "clusterbench/core/executor.hpp"

namespace cb {
namespace {

class SerialExecutor final : public Executor {
 public:
  void for_chunks(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, Range)>& body) const override {
    const std::size_t chunks = chunk_count(n, grain);
    for (std::size_t c = 0; c < chunks; ++c) body(c, Range{c * grain, std::min(n, (c + 1) * grain)});
  }
  void run_all(const std::vector<std::function<void()>>& tasks) const override {
    for (const auto& task : tasks) task();
  }
  int concurrency() const override { return 1; }
};

}  // namespace

const Executor& serial_executor() {
  static const SerialExecutor instance;
  return instance;
}

}  // namespace cb
