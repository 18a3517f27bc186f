#include "common/text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homeward {
namespace {

// The code point of the valid UTF-8 sequence at s[i] and its length, or length 0.
std::pair<char32_t, size_t> Decode(absl::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  size_t n = 0;
  char32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07;
  else return {0, 0};
  if (i + n > s.size()) return {0, 0};
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  const char32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
  return {cp, n};
}

std::string Escape(absl::string_view text, size_t max_bytes, bool keep_lines) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto [cp, n] = Decode(text, i);
    std::string piece;
    if (n == 0) {
      piece = absl::StrFormat("\\x%02x", static_cast<unsigned char>(text[i]));
    } else if (cp == '\\') {
      piece = "\\\\";
    } else if (keep_lines && (cp == '\n' || cp == '\t')) {
      piece = std::string(1, static_cast<char>(cp));
    } else if (cp == '\n') {
      piece = "\\n";
    } else if (cp == '\r') {
      piece = "\\r";
    } else if (cp == '\t') {
      piece = "\\t";
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      piece = absl::StrFormat("\\x%02x", static_cast<unsigned>(cp));
    } else if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      piece = absl::StrFormat("\\u%04x", static_cast<unsigned>(cp));
    } else {
      piece = std::string(text.substr(i, n));
    }
    const size_t step = n == 0 ? 1 : n;
    if (max_bytes > 0 && out.size() + piece.size() > max_bytes) {
      absl::StrAppend(&out, "…[", text.size() - i, " more bytes]");
      return out;
    }
    out += piece;
    i += step;
  }
  return out;
}

}  // namespace

std::string Printable(absl::string_view text, size_t max_bytes) { return Escape(text, max_bytes, false); }
std::string PrintableLines(absl::string_view text, size_t max_bytes) { return Escape(text, max_bytes, true); }

}  // namespace homeward
