// File: text.h
//
// Text from agency systems shown to people or written where people read it (the CLI, the
// access log): control characters can rewrite a terminal line, reorder text (bidirectional
// overrides) or forge a line break, so they are shown as escapes instead (issue 11, point 12).
#ifndef HOMEWARD_COMMON_TEXT_H_
#define HOMEWARD_COMMON_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace homeward {

// `text` with every C0 and C1 control character, DEL, Unicode bidirectional override or
// isolate (U+202A..U+202E, U+2066..U+2069) and byte of invalid UTF-8 written as an escape
// ("\n", "\x1b", "\u202e"), and a backslash as "\\". Other text, accented letters included,
// is kept. Where the result would be longer than `max_bytes`, it is cut at a character and ends
// "…[N more bytes]" (N counts the original's bytes not shown); 0 means no limit.
std::string Printable(absl::string_view text, size_t max_bytes = 0);

// As Printable, but keeps line feeds and tabs (multi-line free text such as a note).
std::string PrintableLines(absl::string_view text, size_t max_bytes = 0);

}  // namespace homeward

#endif  // HOMEWARD_COMMON_TEXT_H_
