#include "clusterbench/store/file_seal.hpp"

#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::store {
namespace {

constexpr char kHead[8] = {'C', 'B', 'S', 'E', 'A', 'L', '0', '1'};
constexpr char kTail[8] = {'C', 'B', 'S', 'E', 'A', 'L', 'E', 'N'};
constexpr std::size_t kSealBytes = 32;  // head, payload size, crc (8 bytes, upper half zero), tail
constexpr unsigned char kHdf5Signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

void put_u64(char* at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint64_t get_u64(const unsigned char* at, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | at[i];
  return v;
}

std::uint64_t crc_of(std::ifstream& in, std::uint64_t bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  std::vector<char> buffer(1 << 20);
  while (bytes > 0) {
    const auto chunk = static_cast<std::streamsize>(std::min<std::uint64_t>(bytes, buffer.size()));
    if (!in.read(buffer.data(), chunk)) return ~std::uint64_t{0};
    crc = crc32_z(crc, reinterpret_cast<const Bytef*>(buffer.data()), static_cast<z_size_t>(chunk));
    bytes -= static_cast<std::uint64_t>(chunk);
  }
  return crc;
}

[[noreturn]] void corrupt(const std::string& path, const std::string& reason) {
  throw InputError(fmt::format("{}: corrupt results file: {}", path, reason));
}

/// Checks the superblock at offset 0 (clusterbench and h5py write no user
/// block) and that the end of address lies within the first `payload` bytes.
void check_superblock(const std::string& path, std::ifstream& in, std::uint64_t payload) {
  std::array<unsigned char, 96> sb{};
  in.clear();
  in.seekg(0);
  in.read(reinterpret_cast<char*>(sb.data()),
          static_cast<std::streamsize>(std::min<std::uint64_t>(payload, sb.size())));
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got < 8 || std::memcmp(sb.data(), kHdf5Signature, 8) != 0)
    throw InputError(fmt::format("{}: not an HDF5 file (no HDF5 signature at its start)", path));
  const int version = sb[8];
  std::size_t offsets = 0, at = 0;  // size of addresses; position of the base address
  if (version == 0 || version == 1) {
    offsets = sb[13];
    at = version == 0 ? 24 : 28;
  } else if (version == 2 || version == 3) {
    offsets = sb[9];
    at = 12;
  } else {
    corrupt(path, fmt::format("unknown HDF5 superblock version {}", version));
  }
  if (offsets != 2 && offsets != 4 && offsets != 8)
    corrupt(path, fmt::format("superblock address size {} is invalid", offsets));
  // v0/1: base, free-space, end of address; v2/3: base, extension, end of address.
  const std::size_t eoa_at = at + 2 * offsets;
  if (got < eoa_at + offsets) corrupt(path, "the file ends inside its superblock");
  const std::uint64_t base = get_u64(sb.data() + at, static_cast<int>(offsets));
  const std::uint64_t eoa = get_u64(sb.data() + eoa_at, static_cast<int>(offsets));
  if (base != 0) corrupt(path, fmt::format("superblock base address {} (expected 0)", base));
  if (eoa > payload)
    corrupt(path, fmt::format("truncated: HDF5 data end at byte {} but the file has {} bytes", eoa, payload));
}

}  // namespace

void append_seal(std::vector<char>& image) {
  const std::uint64_t payload = image.size();
  const uLong crc = crc32_z(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(image.data()), image.size());
  char seal[kSealBytes];
  std::memcpy(seal, kHead, 8);
  put_u64(seal + 8, payload);
  put_u64(seal + 16, crc);
  std::memcpy(seal + 24, kTail, 8);
  image.insert(image.end(), seal, seal + kSealBytes);
}

bool is_sealed(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  if (!in || size < kSealBytes) return false;
  char seal[kSealBytes];
  in.seekg(static_cast<std::streamoff>(size - kSealBytes));
  in.read(seal, kSealBytes);
  return in && std::memcmp(seal, kHead, 8) == 0 && std::memcmp(seal + 24, kTail, 8) == 0;
}

void verify_results_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw InputError(fmt::format("{}: cannot open results file", path));
  const auto size = static_cast<std::uint64_t>(in.tellg());
  std::uint64_t payload = size;
  if (size >= kSealBytes) {
    unsigned char seal[kSealBytes];
    in.seekg(static_cast<std::streamoff>(size - kSealBytes));
    in.read(reinterpret_cast<char*>(seal), kSealBytes);
    const bool sealed = std::memcmp(seal, kHead, 8) == 0 && std::memcmp(seal + 24, kTail, 8) == 0;
    if (sealed) {
      payload = size - kSealBytes;
      if (get_u64(seal + 8, 8) != payload) corrupt(path, "its length does not match its seal (cut or extended)");
      in.seekg(0);
      if (crc_of(in, payload) != get_u64(seal + 16, 8))
        corrupt(path, "checksum mismatch (damaged, or edited in place outside clusterbench)");
    }
  }
  check_superblock(path, in, payload);
}

}  // namespace cb::store
