#pragma once
// Internal: RAII handles and typed read/write helpers over the HDF5 C API.
#include <hdf5.h>

#include <functional>
#include <string>
#include <vector>

#include "clusterbench/core/matrix.hpp"

namespace cb::store::h5 {

/// Owns one HDF5 identifier and closes it with the matching function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer, const std::string& what);
  Handle(Handle&& other) noexcept;
  Handle& operator=(Handle&& other) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle();
  hid_t id() const { return id_; }
  operator hid_t() const { return id_; }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

void silence_errors();

/// Builds an HDF5 file in memory (`fill` writes its content), then writes its
/// bytes to `path` beside it and renames it into place. libhdf5 never touches
/// the disk, so a write error (full disk, file too large) is reported with the
/// system's reason, leaves no temporary file and cannot wedge libhdf5's state.
void write_file_image(const std::string& path, const std::function<void(hid_t file)>& fill);
Handle create_group(hid_t parent, const std::string& name);
Handle open_group(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& name);
std::vector<std::string> member_names(hid_t group);

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values);
void write_ints(hid_t parent, const std::string& name, const std::vector<int>& values);
void write_uint64s(hid_t parent, const std::string& name, const std::vector<unsigned long long>& values);
void write_matrix(hid_t parent, const std::string& name, const Matrix& m);
/// A matrix of whole numbers (counts) stored as int64; read back with read_matrix.
void write_count_matrix(hid_t parent, const std::string& name, const Matrix& m);
/// Labels of many runs as one rows × n int32 matrix (compressed).
void write_label_matrix(hid_t parent, const std::string& name, const std::vector<const Labels*>& rows, Index n);

void write_attr(hid_t object, const std::string& name, const std::string& value);
void write_attr(hid_t object, const std::string& name, double value);
void write_attr(hid_t object, const std::string& name, long long value);

std::vector<std::string> read_strings(hid_t parent, const std::string& name);
std::vector<double> read_doubles(hid_t parent, const std::string& name);
std::vector<long long> read_integers(hid_t parent, const std::string& name);
/// Reads unsigned 64-bit values (seeds) without the clamp a signed read applies above INT64_MAX.
std::vector<std::uint64_t> read_uint64s(hid_t parent, const std::string& name);
Matrix read_matrix(hid_t parent, const std::string& name);
std::vector<Labels> read_label_matrix(hid_t parent, const std::string& name);
/// Whether a 1-D dataset holds strings (else numbers).
bool is_string_dataset(hid_t parent, const std::string& name);

std::string read_string_attr(hid_t object, const std::string& name);
double read_double_attr(hid_t object, const std::string& name);
bool has_attr(hid_t object, const std::string& name);

}  // namespace cb::store::h5
