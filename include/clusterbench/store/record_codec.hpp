#pragma once
// Run and space records as CBOR bytes: the journal's entry format, and what
// MPI ranks send to rank 0. CBOR keeps NaN and every double bit for bit.
#include <cstdint>
#include <span>
#include <vector>

#include "clusterbench/records/results.hpp"

namespace cb::store {

std::vector<std::uint8_t> encode_run(const records::RunRecord& run);
/// Throws InputError when the bytes are not an encoded run.
records::RunRecord decode_run(std::span<const std::uint8_t> bytes);

/// Several runs and spaces in one message.
std::vector<std::uint8_t> encode_records(std::span<const records::RunRecord> runs,
                                         std::span<const records::SpaceRecord> spaces);
/// Throws InputError when the bytes are not encoded records.
void decode_records(std::span<const std::uint8_t> bytes, std::vector<records::RunRecord>& runs,
                    std::vector<records::SpaceRecord>& spaces);

}  // namespace cb::store
