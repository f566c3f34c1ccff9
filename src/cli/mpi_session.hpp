#pragma once
// The MPI side of `run`: a grid split over ranks (OpenMPI). MPI is started
// only when the process was launched by mpirun; otherwise, or in a build
// without MPI, the session is one rank and every call is local.
#include <cstdint>
#include <vector>

namespace cb::cli {

class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  /// Every rank's bytes at rank 0, in rank order (rank 0's own first); other ranks get nothing.
  std::vector<std::vector<std::uint8_t>> gather(const std::vector<std::uint8_t>& mine) const;
  /// Returns when every rank has called it.
  void barrier() const;
  /// Rank 0's value on every rank.
  int broadcast(int value) const;
  /// Ends every rank (a rank that failed must not leave the others waiting).
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool started_ = false;
};

}  // namespace cb::cli
