#pragma once
// Civil dates and times for transaction logs: a day number (days since
// 1970-01-01, proleptic Gregorian, no time zone) and seconds since then, parsed
// with a small strptime-like format language that behaves the same everywhere.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cb::io {

/// Days since 1970-01-01 (may be negative).
using Day = std::int32_t;
/// Seconds since 1970-01-01 00:00:00 (civil time, no zone).
using Timestamp = std::int64_t;

/// Day number of a civil date (month 1..12, day 1..31); no validation.
Day day_from_civil(int year, int month, int day);
/// The day of a timestamp (floor division, correct before 1970 too).
Day day_of(Timestamp t);
/// "YYYY-MM-DD" of a day number.
std::string format_day(Day day);
/// Parses "YYYY-MM-DD"; throws InputError naming `what` when it is not a valid date.
Day parse_day(std::string_view text, std::string_view what = "date");

/// A compiled date format. Directives: %Y (4-digit year), %y (2-digit year,
/// 69..99 -> 19xx, else 20xx), %m and %d (1 or 2 digits), %b (English month
/// abbreviation, any case), %H %M %S (1 or 2 digits), %% (a percent sign); any
/// other character must match itself. An empty format means "auto": ISO
/// `%Y-%m-%d %H:%M:%S` (seconds and time optional) or US `%m/%d/%Y %H:%M`
/// (seconds and time optional).
class DateFormat {
 public:
  explicit DateFormat(std::string format = {});
  /// Parses text into a timestamp; returns false when it does not match or the
  /// date does not exist (e.g. 2011-02-30).
  bool parse(std::string_view text, Timestamp& out) const;
  /// The format as written, or a description of the auto formats.
  const std::string& describe() const { return description_; }

 private:
  std::vector<std::string> formats_;
  std::string description_;
  bool auto_ = false;
};

}  // namespace cb::io
