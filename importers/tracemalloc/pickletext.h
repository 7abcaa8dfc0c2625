#pragma once

#include "picklevalue.h"

#include <string>
#include <string_view>

namespace hs::pickle {

// UTF-8 as Python's 'surrogatepass' writes it: well-formed UTF-8 in which the surrogates
// U+D800..U+DFFF may stand as three-byte sequences.
bool isValidSurrogatepassUtf8(std::string_view bytes);

// Appends code point `cp` (<= 0x10FFFF) in that encoding.
void appendCodePoint(std::string& out, uint32_t cp);

// Protocol 0 UNICODE argument (raw-unicode-escape): bytes are Latin-1 except \uXXXX and
// \UXXXXXXXX. Returns false on a malformed escape.
bool decodeRawUnicodeEscape(std::string_view in, std::string& out);

// Protocol 0 STRING argument without its quotes (Python 2 repr escapes). Returns false on a
// malformed escape.
bool decodeEscapedString(std::string_view in, std::string& out);

Value intValue(int64_t v);

// LONG1/LONG4 payload: little-endian two's complement.
Value decodeLong(const unsigned char* bytes, size_t n);

// int(text, 0) as Python's protocol-0 reader applies it to INT and LONG arguments. Throws
// Refusal on malformed text.
Value parseTextInt(std::string_view text);

} // namespace hs::pickle
