#include "clusterbench/io/csv_reader.hpp"

#include <csv.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "gzip_input.hpp"

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

}  // namespace

void for_each_csv_record(const std::string& path, char delimiter, const RecordCallback& callback) {
  const GzFile file = open_gz(path);

  csv_parser parser{};
  if (csv_init(&parser, CSV_APPEND_NULL) != 0) throw Error("libcsv: out of memory");
  std::unique_ptr<csv_parser, void (*)(csv_parser*)> guard(&parser, csv_free);
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  // libcsv grows a field 128 bytes at a time: a huge malformed cell would be
  // copied over and over (quadratic where realloc cannot grow in place).
  csv_set_blk_size(&parser, 1 << 16);

  ParseState state;
  state.callback = &callback;
  std::vector<char> buffer(1 << 20);
  bool first = true;
  for (;;) {
    std::size_t got = read_gz(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()), path);
    if (got == 0) break;
    const char* begin = buffer.data();
    // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first header name.
    if (std::exchange(first, false) && got >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) {
      begin += 3;
      got -= 3;
    }
    if (csv_parse(&parser, begin, got, on_field, on_record, &state) != got)
      throw InputError(fmt::format("{}:{}: {}", path, state.line + 1, csv_strerror(csv_error(&parser))));
    if (state.failure) std::rethrow_exception(state.failure);
  }
  csv_fini(&parser, on_field, on_record, &state);
  if (state.failure) std::rethrow_exception(state.failure);
}

namespace {

/// Clinger's fast path for plain decimals ("-12.345"): with at most 15
/// significant digits the digits form an exact integer m < 2^53 and 10^k
/// (k ≤ 22) is exact, so m / 10^k is one correctly rounded division, the same
/// double from_chars returns. Anything else (exponents, long mantissas, inf,
/// nan) falls back to from_chars. Logs are dominated by short prices and
/// quantities, where this is several times faster.
bool parse_plain_decimal(std::string_view text, double& value) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  i += negative;
  std::uint64_t mantissa = 0;
  int digits = 0, fraction_digits = 0;
  bool seen_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (mantissa == 0 && c == '0') {  // leading zeros are not significant
        fraction_digits += seen_point;
        continue;
      }
      if (++digits > 15) return false;
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
      fraction_digits += seen_point;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      return false;
    }
  }
  if (!seen_digit || fraction_digits > 22) return false;
  const double magnitude = static_cast<double>(mantissa) / kPow10[fraction_digits];
  value = negative ? -magnitude : magnitude;
  return true;
}

}  // namespace

bool parse_double(std::string_view text, double& value) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) return false;
  if (text.front() == '+') text.remove_prefix(1);
  if (!text.empty() && parse_plain_decimal(text, value)) return true;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace cb::io
