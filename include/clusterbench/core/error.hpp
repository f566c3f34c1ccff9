#pragma once
// The typed errors of clusterbench. Bad user input (data files, configs, CLI
// values) throws InputError with where it came from; expected algorithmic
// outcomes are statuses in result structs, never exceptions.
#include <stdexcept>
#include <string>

namespace cb {

/// Base of every clusterbench error.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad input from the user: the message names the file, line or field.
class InputError : public Error {
 public:
  using Error::Error;
};

/// A configuration file or option that is wrong (unknown key, bad type, range).
class ConfigError : public InputError {
 public:
  using InputError::InputError;
};

/// A failure of the environment (unwritable output, I/O failure).
class IoError : public Error {
 public:
  using Error::Error;
};

/// Another process holds the output (a results file being written by another `run`).
class OutputBusy : public IoError {
 public:
  using IoError::IoError;
};

/// Work stopped on request (SIGINT/SIGTERM): not a failure of the run it
/// interrupted, which is simply not finished.
class Interrupted : public Error {
 public:
  using Error::Error;
};

}  // namespace cb
