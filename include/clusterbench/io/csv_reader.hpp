#pragma once
// Streaming reader of delimited text (RFC 4180 quoting, via libcsv) from plain
// or gzip files. Memory stays bounded by one record, not the file.
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace cb::io {

/// Called once per record with its fields and its 1-based record number
/// (equal to the line number unless a quoted field spans lines).
using RecordCallback = std::function<void(std::span<const std::string_view> fields, std::size_t line)>;

/// Reads `path` (plain or .gz, detected from content) record by record.
/// Throws InputError naming the file when it cannot be opened or is malformed.
void for_each_csv_record(const std::string& path, char delimiter, const RecordCallback& callback);

/// Parses a decimal number (leading/trailing spaces allowed). Returns false when
/// the text is not entirely a number.
bool parse_double(std::string_view text, double& value);

}  // namespace cb::io
