#pragma once
// A results file is checked before libhdf5 parses it. libhdf5 trusts
// its metadata: a bit flip can send it into a loop or a wild read, and a cut
// file fails deep inside with no useful message. Every file clusterbench
// writes therefore ends with a seal (after HDF5's end of address, where
// libhdf5 ignores it): magic, payload size and CRC-32 of the payload. Files
// without a seal (written before seals, or edited in place by h5py, which
// overwrites it) are checked for a sane superblock whose end of address fits
// the file.
#include <string>
#include <vector>

namespace cb::store {

/// Appends the seal to a complete HDF5 file image.
void append_seal(std::vector<char>& image);

/// Whether the file ends with a seal (not whether it matches).
bool is_sealed(const std::string& path);

/// Throws InputError "PATH: corrupt results file: REASON" (or "...: not an HDF5
/// file") unless the file's seal matches, or, unsealed, its superblock is sane
/// and its end of address lies within the file.
void verify_results_file(const std::string& path);

}  // namespace cb::store
