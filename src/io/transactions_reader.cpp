// Transaction log reader: sequential decompression, record-aligned fixed
// blocks, parallel parsing, in-order hand-off (see transactions.hpp).
#include "clusterbench/io/transactions.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"
#include "clusterbench/io/csv_reader.hpp"
#include "gzip_input.hpp"

namespace cb::io {
namespace {

constexpr std::uint64_t kMul1 = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kMul2 = 0xBF58476D1CE4E5B9ULL;
constexpr std::uint64_t kMul3 = 0x94D049BB133111EBULL;

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::uint64_t finalize(std::uint64_t z) {
  z = (z ^ (z >> 30)) * kMul2;
  z = (z ^ (z >> 27)) * kMul3;
  return z ^ (z >> 31);
}

/// Column positions resolved from the header; -1 = not in the schema.
struct Columns {
  std::size_t count = 0;
  int customer = -1, date = -1, invoice = -1, quantity = -1, price = -1, amount = -1, product = -1, country = -1;
};

struct BlockError {
  bool failed = false;
  std::size_t local_line = 0;  ///< newlines in the block before the failing record
  std::string message;
};

struct Context {
  const Columns* columns;
  const LogSchema* schema;
  const DateFormat* dates;
  std::vector<std::string> names;  ///< header names, for messages
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// `17850.0` -> `17850`; other text unchanged (trimmed).
std::string_view normalize_customer(std::string_view s) {
  s = trim(s);
  const auto dot = s.find('.');
  if (dot != std::string_view::npos && dot > 0 && s.find_first_not_of('0', dot + 1) == std::string_view::npos)
    s = s.substr(0, dot);
  return s;
}

static_assert(std::endian::native == std::endian::little, "the word scan reads bytes in little-endian lane order");

/// A word with byte c in every lane.
constexpr std::uint64_t broadcast(unsigned char c) { return 0x0101010101010101ULL * c; }

/// Nonzero where a lane of w is zero; the lowest set high bit marks the first
/// zero lane exactly (lanes above it may be false positives, never below).
constexpr std::uint64_t zero_lanes(std::uint64_t w) { return (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL; }

/// First position in [p, end) holding `delimiter` or '\n' (or end), eight
/// bytes at a time: unquoted fields are most of a log, and a byte loop spent
/// a third of the parse here.
const char* find_delimiter_or_newline(const char* p, const char* end, char delimiter) {
  const std::uint64_t delimiters = broadcast(static_cast<unsigned char>(delimiter));
  const std::uint64_t newlines = broadcast('\n');
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t hits = zero_lanes(w ^ delimiters) | zero_lanes(w ^ newlines);
    if (hits) return p + (std::countr_zero(hits) >> 3);  // lowest lane = first byte
    p += 8;
  }
  while (p < end && *p != delimiter && *p != '\n') ++p;
  return p;
}

/// Reads the quoted field starting at p (*p == '"') into `fields`. Returns the
/// position after the closing quote, or nullptr with `error` set.
const char* read_quoted_field(const char* p, const char* end, std::vector<std::string_view>& fields,
                              std::deque<std::string>& storage, std::size_t& newlines, std::string& error) {
  const char* q = p + 1;
  bool escaped = false;
  for (;;) {
    const char* quote = static_cast<const char*>(std::memchr(q, '"', static_cast<std::size_t>(end - q)));
    if (!quote) {
      error = "unterminated quoted field";
      return nullptr;
    }
    newlines += static_cast<std::size_t>(std::count(q, quote, '\n'));
    if (quote + 1 < end && quote[1] == '"') {
      escaped = true;
      q = quote + 2;
      continue;
    }
    std::string_view raw(p + 1, static_cast<std::size_t>(quote - p - 1));
    if (escaped) {
      std::string text;
      text.reserve(raw.size());
      for (std::size_t i = 0; i < raw.size(); ++i) {
        text.push_back(raw[i]);
        if (raw[i] == '"') ++i;  // skip the second quote of a doubled pair
      }
      storage.push_back(std::move(text));
      raw = storage.back();
    }
    fields.push_back(raw);
    return quote + 1;
  }
}

/// Splits one delimited record starting at p (< end) into fields. Returns the
/// position after its terminating newline (or end). Counts newlines into
/// `newlines`. Fields holding doubled quotes are unescaped into `storage`. Returns
/// nullptr on a malformed quote, with `error` set.
const char* split_delimited_record(const char* p, const char* end, char delimiter,
                                   std::vector<std::string_view>& fields, std::deque<std::string>& storage,
                                   std::size_t& newlines, const char*& record_end, std::string& error) {
  fields.clear();
  for (;;) {
    if (p < end && *p == '"') {
      p = read_quoted_field(p, end, fields, storage, newlines, error);
      if (!p) return nullptr;
      if (p < end && *p == '\r') ++p;
      if (p < end && *p != delimiter && *p != '\n') {
        error = "unexpected character after a closing quote";
        return nullptr;
      }
    } else {
      const char* q = find_delimiter_or_newline(p, end, delimiter);
      const char* stop = q;
      if (stop > p && stop[-1] == '\r' && (q == end || *q == '\n')) --stop;
      fields.emplace_back(p, static_cast<std::size_t>(stop - p));
      p = q;
    }
    if (p >= end) {
      record_end = end;
      return end;
    }
    if (*p == '\n') {
      record_end = p;
      ++newlines;
      return p + 1;
    }
    ++p;  // delimiter
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// As split_delimited_record, for fields separated by runs of blanks (space,
/// tab; a '\r' counts as one): blanks around the record are ignored, so a
/// line of blanks has no fields.
const char* split_blank_separated_record(const char* p, const char* end, std::vector<std::string_view>& fields,
                                         std::deque<std::string>& storage, std::size_t& newlines,
                                         const char*& record_end, std::string& error) {
  fields.clear();
  for (;;) {
    while (p < end && is_blank(*p)) ++p;
    if (p >= end) {
      record_end = end;
      return end;
    }
    if (*p == '\n') {
      record_end = p;
      ++newlines;
      return p + 1;
    }
    if (*p == '"') {
      p = read_quoted_field(p, end, fields, storage, newlines, error);
      if (!p) return nullptr;
      if (p < end && !is_blank(*p) && *p != '\n') {
        error = "unexpected character after a closing quote";
        return nullptr;
      }
    } else {
      const char* q = p;
      while (q < end && !is_blank(*q) && *q != '\n') ++q;
      fields.emplace_back(p, static_cast<std::size_t>(q - p));
      p = q;
    }
  }
}

const char* split_record(const char* p, const char* end, const LogSchema& schema, std::vector<std::string_view>& fields,
                         std::deque<std::string>& storage, std::size_t& newlines, const char*& record_end,
                         std::string& error) {
  if (schema.whitespace_delimited)
    return split_blank_separated_record(p, end, fields, storage, newlines, record_end, error);
  return split_delimited_record(p, end, schema.delimiter, fields, storage, newlines, record_end, error);
}

/// Position of the first line in [0, size) with something other than blanks
/// (blank lines are skipped as data; a file without a header may start with some).
std::size_t skip_blank_lines(const char* data, std::size_t size) {
  std::size_t line = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') line = i + 1;
    else if (!is_blank(data[i])) break;
  }
  return line;
}

void fail(BlockError& error, std::size_t line, std::string message) {
  error.failed = true;
  error.local_line = line;
  error.message = std::move(message);
}

/// Parses the records of [begin, end) into `block`; stops at the first error.
/// Returns the number of newlines in the block.
std::size_t parse_block(const char* begin, const char* end, const Context& ctx, TransactionBlock& block,
                        BlockError& error) {
  const Columns& cols = *ctx.columns;
  std::vector<std::string_view> fields;
  fields.reserve(cols.count + 1);
  std::size_t newlines = 0;
  const char* p = begin;
  std::string message;
  bool have_last_date = false;
  std::string_view last_date;  // points into the block (or its storage), alive while it is parsed
  Timestamp last_time = 0;
  while (p < end) {
    const std::size_t line = newlines;
    if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {  // blank line
      p += *p == '\n' ? 1 : 2;
      ++newlines;
      continue;
    }
    const char* record_begin = p;
    const char* record_end = nullptr;
    p = split_record(p, end, *ctx.schema, fields, block.storage, newlines, record_end, message);
    if (!p) {
      fail(error, line, message);
      return newlines;
    }
    if (fields.empty()) continue;  // a line of blanks between blank-separated records
    if (fields.size() != cols.count) {
      fail(error, line, fmt::format("expected {} fields, found {}", cols.count, fields.size()));
      return newlines;
    }
    if (record_end > record_begin && record_end[-1] == '\r') --record_end;
    Transaction t;
    t.fingerprint = hash_bytes(std::string_view(record_begin, static_cast<std::size_t>(record_end - record_begin)));
    t.customer = normalize_customer(fields[static_cast<std::size_t>(cols.customer)]);
    if (cols.invoice >= 0) t.invoice = trim(fields[static_cast<std::size_t>(cols.invoice)]);
    if (cols.product >= 0) t.product = trim(fields[static_cast<std::size_t>(cols.product)]);
    if (cols.country >= 0) t.country = trim(fields[static_cast<std::size_t>(cols.country)]);
    const std::string_view date = fields[static_cast<std::size_t>(cols.date)];
    // Rows of one invoice share their date text: reuse the last parse.
    if (have_last_date && date == last_date) {
      t.time = last_time;
    } else if (ctx.dates->parse(date, t.time)) {
      have_last_date = true;
      last_date = date;
      last_time = t.time;
    } else {
      fail(error, line,
           fmt::format("cannot parse date '{}' in column {} (expected format {})", excerpt(date),
                       ctx.names[static_cast<std::size_t>(cols.date)], ctx.dates->describe()));
      return newlines;
    }
    auto number = [&](int column, double& value) {
      const std::string_view text = fields[static_cast<std::size_t>(column)];
      const auto& name = ctx.names[static_cast<std::size_t>(column)];
      if (!parse_double(text, value)) {
        fail(error, line, fmt::format("cannot parse '{}' as a number in column {}", excerpt(text), name));
        return false;
      }
      // "inf"/"nan" parse as numbers but would make a customer's revenue inf or nan.
      if (std::isfinite(value)) return true;
      fail(error, line, fmt::format("value '{}' in column {} is not a finite number", excerpt(text), name));
      return false;
    };
    if (cols.quantity >= 0 && !number(cols.quantity, t.quantity)) return newlines;
    if (cols.amount >= 0) {
      if (!number(cols.amount, t.amount)) return newlines;
      t.price = t.quantity != 0 ? t.amount / t.quantity : 0.0;
    } else {
      if (!number(cols.price, t.price)) return newlines;
      t.amount = t.quantity * t.price;
    }
    block.rows.push_back(t);
  }
  return newlines;
}

/// Cuts [0, size) into record-aligned blocks of about block_bytes. Returns the
/// cut positions (first 0, last = bytes consumed). Without eof the incomplete
/// last record stays unconsumed.
std::vector<std::size_t> cut_blocks(const char* data, std::size_t size, bool eof, std::size_t block_bytes,
                                    bool& unterminated) {
  std::vector<std::size_t> cuts{0};
  std::size_t scan = 0;
  bool in_quote = false;
  auto advance = [&](std::size_t to) {
    while (scan < to) {
      const void* q = std::memchr(data + scan, '"', to - scan);
      if (!q) {
        scan = to;
        break;
      }
      in_quote = !in_quote;
      scan = static_cast<std::size_t>(static_cast<const char*>(q) - data) + 1;
    }
  };
  // Next record end (one past a newline outside quotes) at or after `from`, or npos.
  auto next_record_end = [&](std::size_t from) -> std::size_t {
    for (std::size_t t = from; t < size;) {
      const void* nl = std::memchr(data + t, '\n', size - t);
      if (!nl) return std::string::npos;
      const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
      advance(at);
      if (!in_quote) return at + 1;
      t = at + 1;
    }
    return std::string::npos;
  };
  std::size_t pos = 0;
  while (pos + block_bytes < size) {
    advance(pos + block_bytes);
    const std::size_t boundary = next_record_end(pos + block_bytes);
    if (boundary == std::string::npos) break;
    cuts.push_back(boundary);
    pos = boundary;
  }
  if (eof) {
    advance(size);
    unterminated = in_quote;
    if (size > pos) cuts.push_back(size);
    return cuts;
  }
  for (std::size_t end = next_record_end(pos); end != std::string::npos; end = next_record_end(end))
    if (end - cuts.back() > 0) pos = end;
  if (pos > cuts.back()) cuts.push_back(pos);
  return cuts;
}

/// Fills the positions of the schema's columns; `find(name, key, required)`
/// gives a column's index or -1.
Columns assign_columns(std::size_t count, const LogSchema& schema, const auto& find) {
  Columns c;
  c.count = count;
  c.customer = find(schema.customer_column, "customer_column", true);
  c.date = find(schema.date_column, "date_column", true);
  c.invoice = find(schema.invoice_column, "invoice_column", false);
  c.quantity = find(schema.quantity_column, "quantity_column", false);
  c.amount = find(schema.amount_column, "amount_column", false);
  if (c.amount < 0) c.price = find(schema.price_column, "price_column", true);
  c.product = find(schema.product_column, "product_column", false);
  c.country = find(schema.country_column, "country_column", false);
  return c;
}

void require_named(const std::string& path, const std::string& name, const char* key, bool required) {
  if (name.empty() && required) throw InputError(fmt::format("{}: the schema must name the {}", path, key));
}

/// Columns by header name.
Columns resolve_columns(const std::string& path, const std::vector<std::string>& names, const LogSchema& schema) {
  for (std::size_t j = 0; j < names.size(); ++j) {
    const auto first = std::find(names.begin(), names.end(), names[j]);
    if (!names[j].empty() && first != names.begin() + static_cast<std::ptrdiff_t>(j))
      throw InputError(fmt::format("{}:1: column name '{}' appears twice in the header (columns {} and {})", path,
                                   excerpt(names[j]), first - names.begin() + 1, j + 1));
  }
  return assign_columns(names.size(), schema, [&](const std::string& name, const char* key, bool required) -> int {
    require_named(path, name, key, required);
    if (name.empty()) return -1;
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      std::string header;
      for (const auto& n : names) header += (header.empty() ? "" : ",") + n;
      throw InputError(fmt::format("{}:1: column '{}' ({}) not found in header: {}", path, excerpt(name), key,
                                   excerpt(header, 200)));
    }
    return static_cast<int>(it - names.begin());
  });
}

/// Columns by 1-based position, for a log without a header whose first
/// record (at `line`) has `count` fields.
Columns resolve_positions(const std::string& path, std::size_t line, std::size_t count, const LogSchema& schema) {
  return assign_columns(count, schema, [&](const std::string& name, const char* key, bool required) -> int {
    require_named(path, name, key, required);
    if (name.empty()) return -1;
    std::size_t position = 0;
    const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), position);
    if (error != std::errc() || end != name.data() + name.size() || position == 0)
      throw InputError(fmt::format("{}: without a header, columns are given by position (1 to {}); {} is '{}'", path,
                                   count, key, excerpt(name)));
    if (position > count)
      throw InputError(fmt::format("{}:{}: column {} ({}) not found: the first record has {} fields", path, line,
                                   position, key, count));
    return static_cast<int>(position - 1);
  });
}

}  // namespace

std::uint64_t hash_bytes(std::string_view bytes, std::uint64_t seed) {
  std::uint64_t h = seed ^ (bytes.size() * kMul1);
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = rotl(h ^ (w * kMul2), 29) * kMul1;
    p += 8;
    n -= 8;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, p, n);
  h = rotl(h ^ (w * kMul2), 29) * kMul1;
  return finalize(h);
}

LogReadStats read_transaction_log(const std::string& path, const LogSchema& schema, const Executor& executor,
                                  const TransactionBatchConsumer& consumer, const LogReaderOptions& options) {
  const GzFile file = open_gz(path);
  const std::size_t block_bytes = std::max<std::size_t>(options.block_bytes, 1024);
  const std::size_t batch_bytes = std::max(options.batch_bytes, block_bytes);
  const DateFormat dates(schema.date_format);

  LogReadStats stats;
  // Two uninitialised buffers, reused for every batch (a zero-filled vector
  // would touch every page again): while the blocks of one are parsed and
  // consumed, the next batch is decompressed into the other.
  struct Buffer {
    std::unique_ptr<char[]> data;
    std::size_t capacity = 0;
    std::size_t filled = 0;
    void reserve(std::size_t bytes) {  // keeps the content
      if (capacity >= bytes) return;
      const std::size_t grown = std::max(bytes, capacity * 2);
      std::unique_ptr<char[]> bigger(new char[grown]);
      if (filled) std::memcpy(bigger.get(), data.get(), filled);
      data = std::move(bigger);
      capacity = grown;
    }
  };
  Buffer buffers[2];
  bool eof = false;
  auto fill = [&](Buffer& b) {
    b.reserve(b.filled + batch_bytes);
    const std::size_t got = read_gz(file.get(), b.data.get() + b.filled, static_cast<unsigned>(batch_bytes), path);
    if (got == 0) eof = true;
    b.filled += got;
    stats.bytes += got;
  };

  // The header (or, without one, the first record, for its field count), read sequentially.
  Columns columns;
  Context ctx{&columns, &schema, &dates, {}};
  std::size_t lines_before = 0;  // newlines before the start of the current batch
  std::size_t start = 0;
  int cur = 0;
  // Without a header, data start after a UTF-8 BOM and leading blank lines.
  auto first_record_at = [&](const Buffer& b) -> std::size_t {
    if (schema.header) return 0;
    const std::size_t bom = b.filled >= 3 && std::memcmp(b.data.get(), "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    return bom + skip_blank_lines(b.data.get() + bom, b.filled - bom);
  };
  for (;;) {
    fill(buffers[cur]);
    const Buffer& b = buffers[cur];
    const std::size_t from = first_record_at(b);
    bool unterminated = false;
    const auto cuts = cut_blocks(b.data.get() + from, b.filled - from, eof, b.filled - from + 1, unterminated);
    if (cuts.size() >= 2 || eof) break;
  }
  {
    const Buffer& b = buffers[cur];
    const std::size_t from = first_record_at(b);
    if (b.filled == 0 || from >= b.filled)
      throw InputError(fmt::format("{}: empty file ({})", path, schema.header ? "no header" : "no records"));
    std::vector<std::string_view> fields;
    std::deque<std::string> storage;
    std::string message;
    const char* record_end = nullptr;
    lines_before = static_cast<std::size_t>(std::count(b.data.get(), b.data.get() + from, '\n'));
    std::size_t header_lines = 0;
    const char* next = split_record(b.data.get() + from, b.data.get() + b.filled, schema, fields, storage, header_lines,
                                    record_end, message);
    if (!next) throw InputError(fmt::format("{}:{}: {}", path, lines_before + 1, message));
    if (schema.header) {
      for (auto f : fields) ctx.names.emplace_back(trim(f));
      if (!ctx.names.empty() && ctx.names[0].rfind("\xEF\xBB\xBF", 0) == 0) ctx.names[0].erase(0, 3);  // UTF-8 BOM
      columns = resolve_columns(path, ctx.names, schema);
      lines_before = header_lines;
      start = static_cast<std::size_t>(next - b.data.get());
    } else {
      // Columns are named by position in messages ("in column 4").
      for (std::size_t j = 0; j < fields.size(); ++j) ctx.names.push_back(std::to_string(j + 1));
      columns = resolve_positions(path, lines_before + 1, fields.size(), schema);
      start = from;  // the first record is data
    }
  }

  std::vector<TransactionBlock> blocks;
  std::vector<BlockError> errors;
  std::vector<std::size_t> newlines;
  // Parses [cuts] of `base` in parallel, checks errors in file order, hands the blocks over.
  auto parse_and_consume = [&](const char* base, const std::vector<std::size_t>& cuts) {
    const std::size_t n_blocks = cuts.size() - 1;
    if (n_blocks == 0) return;
    if (blocks.size() < n_blocks) blocks.resize(n_blocks);
    for (std::size_t b = 0; b < n_blocks; ++b) {  // blocks beyond n_blocks keep their capacity for later batches
      blocks[b].rows.clear();
      blocks[b].storage.clear();
      if (blocks[b].rows.capacity() == 0) blocks[b].rows.reserve(block_bytes / 64);
    }
    errors.assign(n_blocks, BlockError{});
    newlines.assign(n_blocks, 0);
    executor.for_chunks(n_blocks, 1, [&](std::size_t b, Range) {
      newlines[b] = parse_block(base + cuts[b], base + cuts[b + 1], ctx, blocks[b], errors[b]);
    });
    for (std::size_t b = 0; b < n_blocks; ++b) {
      if (errors[b].failed)
        throw InputError(fmt::format("{}:{}: {}", path, lines_before + errors[b].local_line + 1, errors[b].message));
      lines_before += newlines[b];
      stats.rows += blocks[b].rows.size();
    }
    consumer(std::span<const TransactionBlock>(blocks.data(), n_blocks));
  };

  for (;;) {
    Buffer& b = buffers[cur];
    const bool last = eof;
    bool unterminated = false;
    const auto cuts = cut_blocks(b.data.get() + start, b.filled - start, last, block_bytes, unterminated);
    if (last) {
      parse_and_consume(b.data.get() + start, cuts);
      if (unterminated) throw InputError(fmt::format("{}:{}: unterminated quoted field", path, lines_before + 1));
      break;
    }
    // The unconsumed tail starts the other buffer, which is filled while this one is parsed.
    Buffer& next = buffers[1 - cur];
    const std::size_t consumed = start + cuts.back();
    next.filled = 0;
    next.reserve(b.filled - consumed + batch_bytes);
    std::memcpy(next.data.get(), b.data.get() + consumed, b.filled - consumed);
    next.filled = b.filled - consumed;
    std::exception_ptr failure[2];
    executor.run_all({[&] {
                        try {
                          parse_and_consume(b.data.get() + start, cuts);
                        } catch (...) {
                          failure[0] = std::current_exception();
                        }
                      },
                      [&] {
                        try {
                          fill(next);
                        } catch (...) {
                          failure[1] = std::current_exception();
                        }
                      }});
    for (auto& f : failure)
      if (f) std::rethrow_exception(f);
    cur = 1 - cur;
    start = 0;
  }
  stats.lines = lines_before;
  return stats;
}

}  // namespace cb::io
