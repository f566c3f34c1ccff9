#include "h5_handles.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/store/file_seal.hpp"
#include "clusterbench/store/result_store.hpp"

namespace cb::store::h5 {
namespace {

/// libhdf5 says only "write failed"; the system's reason (disk full, file too large) is in errno.
[[noreturn]] void fail(const std::string& what) {
  const int reason = errno;
  if (reason == ENOSPC || reason == EDQUOT || reason == EFBIG || reason == EIO || reason == EROFS || reason == EACCES)
    throw IoError(fmt::format("HDF5: {} failed: {}", what, std::strerror(reason)));
  throw IoError(fmt::format("HDF5: {} failed", what));
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}

void check_status(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

Handle string_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check_status(H5Tset_size(type, H5T_VARIABLE), "set string size");
  check_status(H5Tset_cset(type, H5T_CSET_UTF8), "set string charset");
  return type;
}

Handle simple_space(std::initializer_list<hsize_t> dims) {
  std::vector<hsize_t> d(dims);
  return Handle(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr), H5Sclose, "dataspace");
}

/// Chunked, deflate-compressed layout for non-empty datasets of `rank` dims.
Handle compressed_layout(const std::vector<hsize_t>& dims) {
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "property list");
  hsize_t total = 1;
  for (auto d : dims) total *= d;
  if (total == 0) return plist;
  std::vector<hsize_t> chunk(dims);
  // Rows of at most ~64k elements per chunk; whole rows so a run's labels read in one go.
  if (dims.size() == 2)
    chunk[0] = std::max<hsize_t>(1, std::min<hsize_t>(dims[0], 65536 / std::max<hsize_t>(1, dims[1])));
  else chunk[0] = std::min<hsize_t>(dims[0], 65536);
  check_status(H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data()), "set chunk");
  check_status(H5Pset_shuffle(plist), "set shuffle");
  check_status(H5Pset_deflate(plist, 4), "set deflate");
  return plist;
}

template <class T>
void write_numbers(hid_t parent, const std::string& name, const std::vector<T>& values, hid_t file_type,
                   hid_t mem_type) {
  auto space = simple_space({values.size()});
  auto layout = compressed_layout({values.size()});
  Handle ds(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, layout, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  if (!values.empty())
    check_status(H5Dwrite(ds, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
}

std::vector<hsize_t> dims_of(hid_t ds) {
  Handle space(H5Dget_space(ds), H5Sclose, "get dataspace");
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

}  // namespace

Handle::Handle(hid_t id, Closer closer, const std::string& what) : id_(check(id, what)), closer_(closer) {}
Handle::Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
Handle& Handle::operator=(Handle&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = other.id_;
    closer_ = other.closer_;
    other.id_ = -1;
  }
  return *this;
}
Handle::~Handle() {
  if (id_ >= 0 && closer_) closer_(id_);
}

void write_file_image(const std::string& path, const std::function<void(hid_t file)>& fill) {
  silence_errors();
  std::vector<char> image;
  {
    Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access list");
    check_status(H5Pset_fapl_core(access, std::size_t{16} << 20, /*backing_store=*/0), "in-memory file driver");
    Handle file(H5Fcreate((path + ".in-memory").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), H5Fclose,
                "create " + path + " in memory");
    fill(file);
    check_status(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
    const ssize_t size = H5Fget_file_image(file, nullptr, 0);
    if (size < 0) fail("file image size of " + path);
    image.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file, image.data(), image.size()) < 0) fail("file image of " + path);
  }
  append_seal(image);
  write_bytes_atomically(path, std::string_view(image.data(), image.size()));
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

Handle open_group(hid_t parent, const std::string& name) {
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "open group " + name);
}

bool exists(hid_t parent, const std::string& name) { return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0; }

std::vector<std::string> member_names(hid_t group) {
  H5G_info_t info;
  check_status(H5Gget_info(group, &info), "group info");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const auto size = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(size), '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), static_cast<std::size_t>(size) + 1,
                       H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  auto type = string_type();
  auto space = simple_space({values.size()});
  Handle ds(H5Dcreate2(parent, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  if (!values.empty())
    check_status(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "write " + name);
}

void write_doubles(hid_t parent, const std::string& name, const std::vector<double>& values) {
  write_numbers(parent, name, values, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE);
}

void write_ints(hid_t parent, const std::string& name, const std::vector<int>& values) {
  write_numbers(parent, name, values, H5T_STD_I32LE, H5T_NATIVE_INT);
}

void write_uint64s(hid_t parent, const std::string& name, const std::vector<unsigned long long>& values) {
  write_numbers(parent, name, values, H5T_STD_U64LE, H5T_NATIVE_ULLONG);
}

namespace {
/// Writes a double matrix, converted by HDF5 to `file_type`.
void write_matrix_as(hid_t parent, const std::string& name, const Matrix& m, hid_t file_type) {
  const std::vector<hsize_t> dims{static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())};
  Handle space(H5Screate_simple(2, dims.data(), nullptr), H5Sclose, "dataspace");
  auto layout = compressed_layout(dims);
  Handle ds(H5Dcreate2(parent, name.c_str(), file_type, space, H5P_DEFAULT, layout, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  if (m.size() > 0)
    check_status(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m.data()), "write " + name);
}
}  // namespace

void write_matrix(hid_t parent, const std::string& name, const Matrix& m) {
  write_matrix_as(parent, name, m, H5T_IEEE_F64LE);
}

void write_count_matrix(hid_t parent, const std::string& name, const Matrix& m) {
  write_matrix_as(parent, name, m, H5T_STD_I64LE);
}

void write_label_matrix(hid_t parent, const std::string& name, const std::vector<const Labels*>& rows, Index n) {
  const std::vector<hsize_t> dims{rows.size(), static_cast<hsize_t>(n)};
  std::vector<Label> flat;
  flat.reserve(rows.size() * static_cast<std::size_t>(n));
  for (const Labels* row : rows) {
    if (row->empty()) flat.insert(flat.end(), static_cast<std::size_t>(n), kNoise);  // failed run: no labels
    else flat.insert(flat.end(), row->begin(), row->end());
  }
  Handle space(H5Screate_simple(2, dims.data(), nullptr), H5Sclose, "dataspace");
  auto layout = compressed_layout(dims);
  Handle ds(H5Dcreate2(parent, name.c_str(), H5T_STD_I32LE, space, H5P_DEFAULT, layout, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  if (!flat.empty())
    check_status(H5Dwrite(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()), "write " + name);
}

void write_attr(hid_t object, const std::string& name, const std::string& value) {
  auto type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle attr(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  const char* text = value.c_str();
  check_status(H5Awrite(attr, type, &text), "write attribute " + name);
}

void write_attr(hid_t object, const std::string& name, double value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle attr(H5Acreate2(object, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  check_status(H5Awrite(attr, H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

void write_attr(hid_t object, const std::string& name, long long value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "scalar space");
  Handle attr(H5Acreate2(object, name.c_str(), H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  check_status(H5Awrite(attr, H5T_NATIVE_LLONG, &value), "write attribute " + name);
}

bool is_string_dataset(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  Handle type(H5Dget_type(ds), H5Tclose, "dataset type");
  return H5Tget_class(type) == H5T_STRING;
}

std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const auto dims = dims_of(ds);
  const std::size_t n = dims.empty() ? 0 : dims[0];
  std::vector<char*> pointers(n, nullptr);
  auto type = string_type();
  std::vector<std::string> out;
  if (n == 0) return out;
  check_status(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "read " + name);
  for (char* p : pointers) out.emplace_back(p ? p : "");
  Handle space(H5Dget_space(ds), H5Sclose, "dataspace");
  H5Dvlen_reclaim(type, space, H5P_DEFAULT, pointers.data());
  return out;
}

std::vector<double> read_doubles(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const auto dims = dims_of(ds);
  std::vector<double> out(dims.empty() ? 0 : dims[0]);
  if (!out.empty())
    check_status(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  return out;
}

std::vector<long long> read_integers(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const auto dims = dims_of(ds);
  std::vector<long long> out(dims.empty() ? 0 : dims[0]);
  if (!out.empty())
    check_status(H5Dread(ds, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  return out;
}

std::vector<std::uint64_t> read_uint64s(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const auto dims = dims_of(ds);
  std::vector<std::uint64_t> out(dims.empty() ? 0 : dims[0]);
  if (!out.empty())
    check_status(H5Dread(ds, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
  return out;
}

Matrix read_matrix(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const auto dims = dims_of(ds);
  if (dims.size() != 2) throw IoError(fmt::format("HDF5: {} is not a matrix", name));
  Matrix m(static_cast<Index>(dims[0]), static_cast<Index>(dims[1]));
  if (m.size() > 0)
    check_status(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m.data()), "read " + name);
  return m;
}

std::vector<Labels> read_label_matrix(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open dataset " + name);
  const auto dims = dims_of(ds);
  if (dims.size() != 2) throw IoError(fmt::format("HDF5: {} is not a matrix", name));
  std::vector<Label> flat(dims[0] * dims[1]);
  if (!flat.empty())
    check_status(H5Dread(ds, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, flat.data()), "read " + name);
  std::vector<Labels> rows(dims[0]);
  for (std::size_t r = 0; r < dims[0]; ++r)
    rows[r].assign(flat.begin() + static_cast<std::ptrdiff_t>(r * dims[1]),
                   flat.begin() + static_cast<std::ptrdiff_t>((r + 1) * dims[1]));
  return rows;
}

bool has_attr(hid_t object, const std::string& name) { return H5Aexists(object, name.c_str()) > 0; }

std::string read_string_attr(hid_t object, const std::string& name) {
  Handle attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  auto type = string_type();
  char* text = nullptr;
  check_status(H5Aread(attr, type, &text), "read attribute " + name);
  std::string out = text ? text : "";
  H5free_memory(text);
  return out;
}

double read_double_attr(hid_t object, const std::string& name) {
  Handle attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  double value = 0;
  check_status(H5Aread(attr, H5T_NATIVE_DOUBLE, &value), "read attribute " + name);
  return value;
}

}  // namespace cb::store::h5
