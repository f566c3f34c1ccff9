#include "sqlite_handles.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"

namespace cb::exports::sqlite {

Database::Database(const std::string& file, std::string shown_name) : shown_name_(std::move(shown_name)) {
  const int code = sqlite3_open_v2(file.c_str(), &handle_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (code != SQLITE_OK) {
    // A failed open still allocates a handle that holds the message.
    const std::string message = handle_ ? sqlite3_errmsg(handle_) : sqlite3_errstr(code);
    sqlite3_close(handle_);
    handle_ = nullptr;
    throw IoError(fmt::format("{}: sqlite: cannot create the database: {}", shown_name_, message));
  }
  sqlite3_extended_result_codes(handle_, 1);
}

Database::~Database() { sqlite3_close(handle_); }

void Database::close() {
  if (!handle_) return;
  const int code = sqlite3_close(handle_);
  if (code != SQLITE_OK)
    throw IoError(fmt::format("{}: sqlite: cannot close the database: {}", shown_name_, sqlite3_errstr(code)));
  handle_ = nullptr;
}

void Database::check(int code, std::string_view what) const {
  if (code == SQLITE_OK || code == SQLITE_DONE || code == SQLITE_ROW) return;
  std::string message = fmt::format("{}: sqlite: {}: {}", shown_name_, what, sqlite3_errmsg(handle_));
  // "disk I/O error" alone hides why: add the system's reason (File too large, No space left on device).
  // The database file keeps the errno of its last failed call; sqlite3_system_errno reads errno later,
  // after the rollback may have changed it.
  int system_error = 0;
  if (sqlite3_file_control(handle_, "main", SQLITE_FCNTL_LAST_ERRNO, &system_error) != SQLITE_OK || system_error == 0)
    system_error = sqlite3_system_errno(handle_);
  if (system_error != 0) message += fmt::format(" ({})", std::strerror(system_error));
  throw IoError(message);
}

std::string_view statement_summary(std::string_view sql) {
  const auto start = sql.find_first_not_of(" \n");
  if (start == std::string_view::npos) return {};
  sql = sql.substr(start);
  sql = sql.substr(0, std::min<std::size_t>(sql.find_first_of("(;\n"), 48));
  while (!sql.empty() && sql.back() == ' ') sql.remove_suffix(1);
  return sql;
}

void Database::execute(std::string_view sql) {
  check(sqlite3_exec(handle_, std::string(sql).c_str(), nullptr, nullptr, nullptr), statement_summary(sql));
}

Statement Database::prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  check(sqlite3_prepare_v3(handle_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr),
        statement_summary(sql));
  return Statement(*this, statement);
}

Statement::~Statement() { sqlite3_finalize(handle_); }

Statement::Statement(Statement&& other) noexcept : database_(other.database_), handle_(other.handle_) {
  other.handle_ = nullptr;
}

Statement& Statement::bind_integer(int position, std::int64_t value) {
  database_->check(sqlite3_bind_int64(handle_, position, value), "bind");
  return *this;
}

Statement& Statement::bind(int position, double value) {
  if (std::isnan(value)) return bind_null(position);
  database_->check(sqlite3_bind_double(handle_, position, value), "bind");
  return *this;
}

Statement& Statement::bind(int position, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the text, so callers may pass temporaries.
  database_->check(sqlite3_bind_text(handle_, position, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT),
                   "bind");
  return *this;
}

Statement& Statement::bind_static(int position, std::string_view text) {
  database_->check(sqlite3_bind_text(handle_, position, text.data(), static_cast<int>(text.size()), SQLITE_STATIC),
                   "bind");
  return *this;
}

Statement& Statement::bind_text_or_null(int position, std::string_view text) {
  return text.empty() ? bind_null(position) : bind(position, text);
}

Statement& Statement::bind_null(int position) {
  database_->check(sqlite3_bind_null(handle_, position), "bind");
  return *this;
}

void Statement::insert() {
  // Checked before the reset, which would clear the message.
  database_->check(sqlite3_step(handle_), statement_summary(sqlite3_sql(handle_)));
  sqlite3_reset(handle_);
}

}  // namespace cb::exports::sqlite
