#pragma once
// Checks yaml-cpp does not make: it keeps the last of two equal keys without a
// word, and it expands aliases and nesting without bound (a few lines of
// anchors can stand for billions of nodes). Run on every loaded YAML document
// before it is read.
#include <yaml-cpp/yaml.h>

#include <string>

namespace cb {

/// Throws ConfigError "FILE:LINE: KEY: duplicate key (first at line L)" when a
/// mapping repeats a key, "FILE:LINE: nesting deeper than N levels" and
/// "FILE: more than N nodes (aliases expanded)" for documents too deep or too big.
void check_yaml_document(const YAML::Node& root, const std::string& file);

/// YAML::Load with the syntax error as ConfigError "FILE:LINE: YAML syntax
/// error: ...", followed by check_yaml_document.
YAML::Node load_yaml_checked(const std::string& text, const std::string& file);

}  // namespace cb
