#pragma once
// Run and space records as CBOR bytes: the journal's entry format, and what
// MPI ranks send to rank 0. CBOR keeps NaN and every double bit for bit.
#include <cstdint>
#include <span>
#include <vector>

#include "clusterbench/grid/results.hpp"

namespace cb::store {

std::vector<std::uint8_t> encode_run(const grid::RunRecord& run);
/// Throws InputError when the bytes are not an encoded run.
grid::RunRecord decode_run(std::span<const std::uint8_t> bytes);

/// Several runs and spaces in one message.
std::vector<std::uint8_t> encode_records(std::span<const grid::RunRecord> runs, std::span<const grid::SpaceRecord> spaces);
/// Throws InputError when the bytes are not encoded records.
void decode_records(std::span<const std::uint8_t> bytes, std::vector<grid::RunRecord>& runs,
                    std::vector<grid::SpaceRecord>& spaces);

}  // namespace cb::store
