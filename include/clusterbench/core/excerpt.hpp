#pragma once
// Input text quoted in an error message: a malformed cell can be megabytes
// long or hold newlines, NULs and invalid bytes, and an error must stay one
// readable line. Long text is cut and its full size stated.
#include <cstddef>
#include <string>
#include <string_view>

namespace cb {

namespace detail {
/// Length of the valid UTF-8 multi-byte sequence starting at text[i], or 0.
inline std::size_t utf8_sequence(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                             : lead >= 0xE0 && lead <= 0xEF ? 3
                             : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                            : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  // No overlong forms, UTF-16 surrogates or code points above U+10FFFF (RFC 3629), as JSON requires.
  const auto second = static_cast<unsigned char>(text[i + 1]);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) ||
      (lead == 0xF4 && second > 0x8F))
    return 0;
  return length;
}
}  // namespace detail

/// Printable one-line form of `text`: \n, \r, \t spelled out, other control
/// bytes and invalid UTF-8 as \xNN; at most `limit` bytes of the original
/// shown, then "… (N bytes)" when it was longer.
inline std::string excerpt(std::string_view text, std::size_t limit = 60) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string_view shown = text.substr(0, limit);
  std::string out;
  for (std::size_t i = 0; i < shown.size();) {
    const auto c = static_cast<unsigned char>(shown[i]);
    if (const std::size_t n = c >= 0x80 ? detail::utf8_sequence(shown, i) : 0) {
      out.append(shown.substr(i, n));
      i += n;
      continue;
    }
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    else out += static_cast<char>(c);
    ++i;
  }
  if (shown.size() < text.size()) out += "\xE2\x80\xA6 (" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace cb
