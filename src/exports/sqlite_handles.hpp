#pragma once
// Internal: owning handles on an SQLite connection and its prepared statements.
// Every failure throws IoError naming the database the user asked for (not the
// temporary file it is built in) and carrying SQLite's own message.
#include <sqlite3.h>

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace cb::exports::sqlite {

class Statement;

/// The start of a statement ("INSERT INTO runs VALUES") for error messages.
std::string_view statement_summary(std::string_view sql);

class Database {
 public:
  /// Creates (or opens) the database file at `file`; errors name `shown_name`.
  Database(const std::string& file, std::string shown_name);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one or more statements that return no rows.
  void execute(std::string_view sql);
  Statement prepare(std::string_view sql);
  /// Closes the connection, reporting a failure to flush (the destructor cannot).
  void close();

  /// Throws IoError "`shown_name`: sqlite: WHAT: SQLite's message" when `code` is an error.
  void check(int code, std::string_view what) const;

 private:
  sqlite3* handle_ = nullptr;
  std::string shown_name_;
};

/// A prepared statement: bind a row (1-based positions), step, repeat.
class Statement {
 public:
  Statement(Database& database, sqlite3_stmt* handle) : database_(&database), handle_(handle) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  template <std::integral Integer>
  Statement& bind(int position, Integer value) {
    return bind_integer(position, static_cast<std::int64_t>(value));
  }
  /// NaN becomes NULL (SQLite has no NaN; NULL is what aggregates skip).
  Statement& bind(int position, double value);
  Statement& bind(int position, std::string_view text);
  /// Binds text without SQLite copying it: it must stay alive and unchanged until the last
  /// insert that uses it. A binding stays until it is replaced, across inserts.
  Statement& bind_static(int position, std::string_view text);
  /// Empty text becomes NULL (an absent message or reason, not an empty one).
  Statement& bind_text_or_null(int position, std::string_view text);
  Statement& bind_null(int position);
  /// Executes the bound row and resets the statement for the next one.
  void insert();

 private:
  Statement& bind_integer(int position, std::int64_t value);
  Database* database_;
  sqlite3_stmt* handle_;
};

}  // namespace cb::exports::sqlite
