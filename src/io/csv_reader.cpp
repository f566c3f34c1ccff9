#include "clusterbench/io/csv_reader.hpp"

#include <csv.h>
#include <zlib.h>

#include <charconv>
#include <exception>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::io {
namespace {

struct ParseState {
  const RecordCallback* callback = nullptr;
  std::vector<std::string> fields;
  std::vector<std::string_view> views;
  std::size_t field_count = 0;
  std::size_t line = 0;
  std::exception_ptr failure;
};

void on_field(void* data, std::size_t length, void* user) {
  auto& state = *static_cast<ParseState*>(user);
  if (state.field_count == state.fields.size()) state.fields.emplace_back();
  state.fields[state.field_count++].assign(static_cast<const char*>(data), data ? length : 0);
}

void on_record(int /*terminator*/, void* user) {
  auto& state = *static_cast<ParseState*>(user);
  ++state.line;
  if (!state.failure) {
    state.views.assign(state.fields.begin(), state.fields.begin() + static_cast<std::ptrdiff_t>(state.field_count));
    // Exceptions must not unwind through libcsv's C frames: keep the first and stop calling back.
    try {
      (*state.callback)(state.views, state.line);
    } catch (...) {
      state.failure = std::current_exception();
    }
  }
  state.field_count = 0;
}

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

}  // namespace

void for_each_csv_record(const std::string& path, char delimiter, const RecordCallback& callback) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw InputError(fmt::format("{}: cannot open file", path));
  gzbuffer(file.get(), 1 << 20);

  csv_parser parser{};
  if (csv_init(&parser, CSV_APPEND_NULL) != 0) throw Error("libcsv: out of memory");
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));

  ParseState state;
  state.callback = &callback;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const int got = gzread(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()));
    if (got < 0) {
      int code = 0;
      throw InputError(fmt::format("{}: read error: {}", path, gzerror(file.get(), &code)));
    }
    if (got == 0) break;
    if (csv_parse(&parser, buffer.data(), static_cast<std::size_t>(got), on_field, on_record, &state) !=
        static_cast<std::size_t>(got))
      throw InputError(fmt::format("{}:{}: {}", path, state.line + 1, csv_strerror(csv_error(&parser))));
    if (state.failure) std::rethrow_exception(state.failure);
  }
  csv_fini(&parser, on_field, on_record, &state);
  if (state.failure) std::rethrow_exception(state.failure);
}

bool parse_double(std::string_view text, double& value) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace cb::io
