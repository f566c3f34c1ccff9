// NN-descent (Dong, Moses & Li 2011): start from a random graph and improve it
// by "local joins" — a neighbour of a neighbour is likely a neighbour.
//
// Determinism at any thread count: every random draw comes from a stream keyed
// by (seed, round, point); the joins of a fixed block of points run in
// parallel but only *read* the neighbour lists, emitting proposals into
// per-chunk buffers; the proposals are then applied serially in chunk order.
// Since a list keeps the k best by (distance, index), its content depends only
// on the set of proposals, and the block order is fixed.
#include <algorithm>
#include <cmath>
#include <vector>

#include "clusterbench/core/rng.hpp"
#include "clusterbench/neighbors/knn.hpp"
#include "knn_list.hpp"

namespace cb::neighbors {
namespace {

constexpr std::size_t kJoinGrain = 256;

struct Proposal {
  std::int32_t target;
  std::int32_t candidate;
  double dist2;
};

class NnDescent {
 public:
  NnDescent(MatrixView points, Index k, const NnDescentOptions& options, std::uint64_t seed, const Executor& executor)
      : x_(points),
        n_(points.rows()),
        k_(static_cast<int>(k)),
        options_(options),
        seed_(seed),
        executor_(executor),
        dist_(static_cast<std::size_t>(n_ * k)),
        idx_(dist_.size()),
        is_new_(dist_.size()) {}

  KnnGraph run() {
    initialise();
    for (int round = 0; round < options_.max_iterations; ++round) {
      build_candidates(round);
      const std::size_t updates = join_all();
      if (static_cast<double>(updates) <= options_.delta * static_cast<double>(n_) * k_) break;
    }
    KnnGraph g;
    g.k = k_;
    g.indices.resize(n_, k_);
    g.distances.resize(n_, k_);
    for (Index i = 0; i < n_; ++i)
      for (int c = 0; c < k_; ++c) {
        g.indices(i, c) = idx_[slot(i, c)];
        g.distances(i, c) = std::sqrt(dist_[slot(i, c)]);
      }
    return g;
  }

 private:
  std::size_t slot(Index i, int c) const { return static_cast<std::size_t>(i) * k_ + c; }
  double d2(Index a, Index b) const { return (x_.row(a) - x_.row(b)).squaredNorm(); }
  detail::KnnList list(Index i) { return {&dist_[slot(i, 0)], &idx_[slot(i, 0)], k_, k_}; }
  bool contains(Index i, std::int32_t j) const {
    for (int c = 0; c < k_; ++c)
      if (idx_[slot(i, c)] == j) return true;
    return false;
  }

  void initialise() {
    executor_.parallel_for(static_cast<std::size_t>(n_), kJoinGrain, [&](Range r) {
      for (std::size_t ii = r.begin; ii < r.end; ++ii) {
        const Index i = static_cast<Index>(ii);
        Rng rng = Rng(seed_).split(ii);
        detail::KnnList l{&dist_[slot(i, 0)], &idx_[slot(i, 0)], k_, 0};
        while (l.count < k_) {
          const auto j = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(n_)));
          if (j == i || std::find(l.idx, l.idx + l.count, j) != l.idx + l.count) continue;
          l.insert(d2(i, j), j);
        }
        for (int c = 0; c < k_; ++c) is_new_[slot(i, c)] = 1;
      }
    });
  }

  // new_/old_ candidate lists: sampled forward neighbours plus sampled reverse neighbours.
  void build_candidates(int round) {
    const int max_candidates = std::max(1, static_cast<int>(std::lround(options_.sample_rate * k_)));
    new_.assign(static_cast<std::size_t>(n_), {});
    old_.assign(static_cast<std::size_t>(n_), {});
    std::vector<std::vector<std::int32_t>> new_rev(static_cast<std::size_t>(n_)), old_rev(static_cast<std::size_t>(n_));
    std::vector<int> new_seen(static_cast<std::size_t>(n_), 0), old_seen(static_cast<std::size_t>(n_), 0);
    Rng rng = Rng(seed_ ^ 0x6e6e64657363656eULL).split(static_cast<std::uint64_t>(round));
    // Reservoir-sample the reverse lists, scanning points in index order.
    auto offer = [&](std::vector<std::int32_t>& res, int& seen, std::int32_t v) {
      ++seen;
      if (static_cast<int>(res.size()) < max_candidates) {
        res.push_back(v);
      } else {
        const auto r = rng.below(static_cast<std::uint64_t>(seen));
        if (r < static_cast<std::uint64_t>(max_candidates)) res[r] = v;
      }
    };
    for (Index i = 0; i < n_; ++i) {
      int taken_new = 0;
      for (int c = 0; c < k_; ++c) {
        const std::int32_t j = idx_[slot(i, c)];
        if (is_new_[slot(i, c)]) {
          if (taken_new >= max_candidates) continue;
          ++taken_new;
          is_new_[slot(i, c)] = 0;
          new_[i].push_back(j);
          offer(new_rev[j], new_seen[j], static_cast<std::int32_t>(i));
        } else {
          old_[i].push_back(j);
          offer(old_rev[j], old_seen[j], static_cast<std::int32_t>(i));
        }
      }
    }
    executor_.parallel_for(static_cast<std::size_t>(n_), kJoinGrain, [&](Range r) {
      for (std::size_t i = r.begin; i < r.end; ++i) {
        for (auto& [list, rev] : {std::pair{&new_[i], &new_rev[i]}, std::pair{&old_[i], &old_rev[i]}}) {
          list->insert(list->end(), rev->begin(), rev->end());
          std::sort(list->begin(), list->end());
          list->erase(std::unique(list->begin(), list->end()), list->end());
        }
      }
    });
  }

  std::size_t join_all() {
    std::size_t updates = 0;
    const Index block = std::max<Index>(options_.block_size, 1);
    for (Index b0 = 0; b0 < n_; b0 += block) {
      const Index bn = std::min(block, n_ - b0);
      std::vector<std::vector<Proposal>> proposals(Executor::chunk_count(static_cast<std::size_t>(bn), kJoinGrain));
      executor_.for_chunks(static_cast<std::size_t>(bn), kJoinGrain, [&](std::size_t chunk, Range r) {
        auto& out = proposals[chunk];
        for (std::size_t uu = r.begin; uu < r.end; ++uu) join_one(b0 + static_cast<Index>(uu), out);
      });
      for (const auto& chunk : proposals)
        for (const auto& p : chunk) {
          if (!list(p.target).accepts(p.dist2, p.candidate) || contains(p.target, p.candidate)) continue;
          auto l = list(p.target);
          const int pos = l.insert(p.dist2, p.candidate);
          // Shift the new-flags along with the entries moved by the insertion.
          auto* flags = &is_new_[slot(p.target, 0)];
          for (int c = k_ - 1; c > pos; --c) flags[c] = flags[c - 1];
          flags[pos] = 1;
          ++updates;
        }
    }
    return updates;
  }

  void propose(std::int32_t p, std::int32_t q, std::vector<Proposal>& out) const {
    const double d = d2(p, q);
    if (detail::closer(d, q, dist_[slot(p, k_ - 1)], idx_[slot(p, k_ - 1)])) out.push_back({p, q, d});
    if (detail::closer(d, p, dist_[slot(q, k_ - 1)], idx_[slot(q, k_ - 1)])) out.push_back({q, p, d});
  }

  void join_one(Index u, std::vector<Proposal>& out) const {
    const auto& nw = new_[u];
    const auto& od = old_[u];
    for (std::size_t a = 0; a < nw.size(); ++a) {
      for (std::size_t b = a + 1; b < nw.size(); ++b) propose(nw[a], nw[b], out);
      for (const auto q : od)
        if (q != nw[a]) propose(nw[a], q, out);
    }
  }

  MatrixView x_;
  Index n_;
  int k_;
  NnDescentOptions options_;
  std::uint64_t seed_;
  const Executor& executor_;
  std::vector<double> dist_;       // n × k squared distances, sorted per row
  std::vector<std::int32_t> idx_;  // n × k neighbour indices
  std::vector<char> is_new_;       // n × k: entry not yet used in a join
  std::vector<std::vector<std::int32_t>> new_, old_;
};

}  // namespace

KnnGraph knn_nndescent(MatrixView points, Index k, const NnDescentOptions& options, std::uint64_t seed,
                       const Executor& executor) {
  detail::check_knn_input(points, k);
  return NnDescent(points, k, options, seed, executor).run();
}

}  // namespace cb::neighbors
