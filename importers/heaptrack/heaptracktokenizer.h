#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hs {

// Cuts heaptrack text into one 32-bit token per line: "+ INFO" / "- INFO" with up to seven hex
// digits becomes (INFO << 2 | 1 for a free), any other line (OFFSET << 2 | 2), OFFSET being
// where it starts. The parser then applies events without reading text.
class HeaptrackTokenizer
{
public:
    // Tokens of `text` (whole lines, each ending in a newline but perhaps the last) into
    // `out`, which has room for text.size() + 1; returns how many were written.
    static size_t tokenize(std::string_view text, uint32_t* out);
    // The same tokens, a line at a time: the reference the fast path is tested against.
    static size_t tokenizeLines(std::string_view text, uint32_t* out);
};

} // namespace hs
