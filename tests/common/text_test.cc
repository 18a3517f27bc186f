#include "common/text.h"

#include <gtest/gtest.h>

namespace homeward {
namespace {

// Issue 11, point 12: what an agency wrote cannot rewrite a terminal line.
TEST(Printable, ControlCharactersBecomeEscapes) {
  EXPECT_EQ(Printable("late\x1b[2K\rALL CLEAR"), "late\\x1b[2K\\rALL CLEAR");
  EXPECT_EQ(Printable("two\nlines\tand\x7f"), "two\\nlines\\tand\\x7f");
  EXPECT_EQ(Printable("C1 \xc2\x9b here"), "C1 \\x9b here");
  EXPECT_EQ(Printable("rtl \xe2\x80\xae override"), "rtl \\u202e override");
  EXPECT_EQ(Printable("bad \xff byte"), "bad \\xff byte");
  EXPECT_EQ(Printable("back\\slash"), "back\\\\slash");
  EXPECT_EQ(Printable("Café — Zoë"), "Café — Zoë");  // text is kept
  EXPECT_EQ(PrintableLines("line one\nline two\x1b"), "line one\nline two\\x1b");
}

TEST(Printable, ALimitCutsAtACharacterAndSaysSo) {
  EXPECT_EQ(Printable(std::string(10, 'a'), 4), "aaaa…[6 more bytes]");
  EXPECT_EQ(Printable("ééé", 3), "é…[4 more bytes]");  // never half a character
  EXPECT_EQ(Printable("abc", 3), "abc");
}

}  // namespace
}  // namespace homeward
