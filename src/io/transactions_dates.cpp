#include "clusterbench/io/transactions_dates.hpp"

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::io {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads 1..max_digits digits (at least min_digits).
bool read_number(std::string_view text, std::size_t& pos, int min_digits, int max_digits, int& value) {
  int digits = 0;
  value = 0;
  while (pos < text.size() && digits < max_digits && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++digits;
  }
  return digits >= min_digits;
}

bool read_month_name(std::string_view text, std::size_t& pos, int& month) {
  static constexpr const char* kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  if (pos + 3 > text.size()) return false;
  char lower[3];
  for (int i = 0; i < 3; ++i) {
    const char c = text[pos + static_cast<std::size_t>(i)];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (int m = 0; m < 12; ++m)
    if (lower[0] == kNames[m][0] && lower[1] == kNames[m][1] && lower[2] == kNames[m][2]) {
      month = m + 1;
      pos += 3;
      return true;
    }
  return false;
}

bool parse_with(std::string_view format, std::string_view text, Timestamp& out) {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::size_t pos = 0;
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%' || f + 1 == format.size()) {
      if (pos >= text.size() || text[pos] != format[f]) return false;
      ++pos;
      continue;
    }
    const char directive = format[++f];
    bool ok = true;
    switch (directive) {
      case 'Y': ok = read_number(text, pos, 4, 4, year); break;
      case 'y':
        ok = read_number(text, pos, 2, 2, year);
        year += year >= 69 ? 1900 : 2000;
        break;
      case 'm': ok = read_number(text, pos, 1, 2, month); break;
      case 'd': ok = read_number(text, pos, 1, 2, day); break;
      case 'b': ok = read_month_name(text, pos, month); break;
      case 'H': ok = read_number(text, pos, 1, 2, hour); break;
      case 'M': ok = read_number(text, pos, 1, 2, minute); break;
      case 'S': ok = read_number(text, pos, 1, 2, second); break;
      case '%': ok = pos < text.size() && text[pos++] == '%'; break;
      default: return false;
    }
    if (!ok) return false;
  }
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\r')) ++pos;
  if (pos != text.size()) return false;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60)
    return false;
  out = static_cast<Timestamp>(day_from_civil(year, month, day)) * 86400 + hour * 3600 + minute * 60 + second;
  return true;
}

/// Fast path for the common fixed-width ISO form "YYYY-MM-DD HH:MM:SS".
bool parse_iso_fixed(std::string_view text, Timestamp& out) {
  if (text.size() < 19) return false;
  for (std::size_t i = 19; i < text.size(); ++i)
    if (text[i] != ' ' && text[i] != '\r') return false;
  static constexpr char kShape[] = "dddd-dd-dd dd:dd:dd";
  int v[19];
  for (std::size_t i = 0; i < 19; ++i) {
    const char c = text[i];
    if (kShape[i] == 'd') {
      if (c < '0' || c > '9') return false;
      v[i] = c - '0';
    } else if (c != kShape[i]) {
      return false;
    }
  }
  const int year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], month = v[5] * 10 + v[6], day = v[8] * 10 + v[9];
  const int hour = v[11] * 10 + v[12], minute = v[14] * 10 + v[15], second = v[17] * 10 + v[18];
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60)
    return false;
  out = static_cast<Timestamp>(day_from_civil(year, month, day)) * 86400 + hour * 3600 + minute * 60 + second;
  return true;
}

}  // namespace

// Days from civil (Gregorian) via the era/day-of-era decomposition.
Day day_from_civil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int mp = (month + 9) % 12;
  const int doy = (153 * mp + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Day day_of(Timestamp t) {
  Timestamp d = t / 86400;
  if (t % 86400 < 0) --d;
  return static_cast<Day>(d);
}

std::string format_day(Day day) {
  const int z = day + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
}

Day parse_day(std::string_view text, std::string_view what) {
  Timestamp t = 0;
  if (!parse_with("%Y-%m-%d", text, t))
    throw InputError(fmt::format("{}: cannot parse '{}' as a date (expected YYYY-MM-DD)", what, text));
  return day_of(t);
}

DateFormat::DateFormat(std::string format) {
  if (format.empty()) {
    formats_ = {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y"};
    description_ = "%Y-%m-%d %H:%M:%S or %m/%d/%Y %H:%M";
    auto_ = true;
  } else {
    description_ = format;
    formats_ = {std::move(format)};
  }
}

bool DateFormat::parse(std::string_view text, Timestamp& out) const {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if ((auto_ || formats_.front() == "%Y-%m-%d %H:%M:%S") && parse_iso_fixed(text, out)) return true;
  for (const auto& f : formats_)
    if (parse_with(f, text, out)) return true;
  return false;
}

}  // namespace cb::io
