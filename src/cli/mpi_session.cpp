#include "mpi_session.hpp"

#include <cstdlib>

#ifdef CB_HAVE_MPI
#include <mpi.h>
#endif

namespace cb::cli {

#ifdef CB_HAVE_MPI
namespace {

/// Set by OpenMPI's and PMIx/PMI launchers for every rank they start.
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_SIZE");
}

}  // namespace

MpiSession::MpiSession() {
  if (!launched_by_mpirun()) return;
  int provided = 0;
  // Only the main thread talks to MPI; oneTBB's workers never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  started_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (started_) MPI_Finalize();
}

std::vector<std::vector<std::uint8_t>> MpiSession::gather(const std::vector<std::uint8_t>& mine) const {
  if (size_ == 1) return {mine};
  // Sizes first (a message may exceed an int's range only beyond 2 GiB of results per rank).
  const long long my_size = static_cast<long long>(mine.size());
  std::vector<long long> sizes(static_cast<std::size_t>(size_));
  MPI_Gather(&my_size, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  std::vector<std::vector<std::uint8_t>> all;
  if (rank_ != 0) {
    MPI_Send(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, 0, 0, MPI_COMM_WORLD);
    return all;
  }
  all.push_back(mine);
  for (int r = 1; r < size_; ++r) {
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(sizes[static_cast<std::size_t>(r)]));
    MPI_Recv(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, r, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    all.push_back(std::move(bytes));
  }
  return all;
}

void MpiSession::barrier() const {
  if (size_ > 1) MPI_Barrier(MPI_COMM_WORLD);
}

int MpiSession::broadcast(int value) const {
  if (size_ > 1) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

void MpiSession::abort(int code) const {
  if (started_) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

#else  // a build without MPI: always one rank

MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;
std::vector<std::vector<std::uint8_t>> MpiSession::gather(const std::vector<std::uint8_t>& mine) const {
  return {mine};
}
void MpiSession::barrier() const {}
int MpiSession::broadcast(int value) const { return value; }
void MpiSession::abort(int code) const { std::exit(code); }

#endif

}  // namespace cb::cli
