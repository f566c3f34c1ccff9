#include "clusterbench/yaml/yaml_checks.hpp"

#include <yaml-cpp/depthguard.h>

#include <map>

#include <fmt/format.h>

#include "clusterbench/core/error.hpp"
#include "clusterbench/core/excerpt.hpp"

namespace cb {
namespace {

constexpr int kMaxDepth = 64;               // configs nest four or five levels
constexpr std::size_t kMaxNodes = 1000000;  // far above any real config, far below an alias bomb

bool is_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = detail::utf8_sequence(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

struct Walk {
  const std::string& file;
  std::size_t nodes = 0;

  static int line(const YAML::Node& node) { return node.Mark().line + 1; }

  /// yaml-cpp decodes the escapes \N and \_ of a quoted scalar to the single
  /// bytes 0x85 and 0xA0, which are not UTF-8 (the text itself was checked).
  void require_utf8_scalar(const YAML::Node& node) const {
    if (!is_utf8(node.Scalar()))
      throw ConfigError(
          fmt::format("{}:{}: a quoted value decodes to bytes that are not UTF-8 (the escapes \\N and "
                      "\\_); write the character itself",
                      file, line(node)));
  }

  void visit(const YAML::Node& node, int depth) {
    if (++nodes > kMaxNodes)
      throw ConfigError(fmt::format("{}: more than {} YAML nodes once aliases are expanded", file, kMaxNodes));
    if (depth > kMaxDepth)
      throw ConfigError(fmt::format("{}:{}: nesting deeper than {} levels", file, line(node), kMaxDepth));
    if (node.IsMap()) {
      std::map<std::string, int> first_line;
      for (const auto& entry : node) {
        if (entry.first.IsScalar()) {
          require_utf8_scalar(entry.first);
          const auto [it, inserted] = first_line.try_emplace(entry.first.Scalar(), line(entry.first));
          if (!inserted)
            throw ConfigError(fmt::format("{}:{}: {}: duplicate key (first at line {})", file, line(entry.first),
                                          excerpt(entry.first.Scalar()), it->second));
        } else {
          throw ConfigError(fmt::format("{}:{}: a mapping key must be a plain name", file, line(entry.first)));
        }
        visit(entry.second, depth + 1);
      }
    } else if (node.IsSequence()) {
      for (const auto& item : node) visit(item, depth + 1);
    } else if (node.IsScalar()) {
      require_utf8_scalar(node);
    }
  }
};

/// YAML is UTF-8 text here; an invalid byte would otherwise surface later as
/// an exception from the JSON the values are stored in. Control characters
/// other than tab and line breaks are not YAML (its c-printable set) either:
/// yaml-cpp turns a NUL inside a scalar into a lone byte 0x85. Names line and column.
void require_utf8(const std::string& text, const std::string& file) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\n') line += 1, line_start = i + 1;
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
        throw ConfigError(fmt::format("{}:{}:{}: control character 0x{:02X} in the YAML text (not allowed in YAML)",
                                      file, line, i - line_start + 1, c));
      ++i;
      continue;
    }
    const std::size_t length = detail::utf8_sequence(text, i);
    if (length == 0)
      throw ConfigError(fmt::format("{}:{}:{}: not UTF-8 text (byte 0x{:02X}); save the file as UTF-8", file, line,
                                    i - line_start + 1, c));
    i += length;
  }
}

}  // namespace

void check_yaml_document(const YAML::Node& root, const std::string& file) { Walk{file}.visit(root, 0); }

YAML::Node load_yaml_checked(const std::string& text, const std::string& file) {
  require_utf8(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    throw ConfigError(fmt::format("{}:{}: nesting too deep for the YAML parser", file, e.mark.line + 1));
  } catch (const YAML::ParserException& e) {
    throw ConfigError(fmt::format("{}:{}: YAML syntax error: {}", file, e.mark.line + 1, e.msg));
  }
  check_yaml_document(root, file);
  return root;
}

}  // namespace cb
