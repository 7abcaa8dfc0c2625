#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace hs {

// Cuts heaptrack text into one 32-bit token per line: "+ INFO" / "- INFO" with up to seven hex
// digits becomes (INFO << 2 | 1 for a free), any other line (OFFSET << 2 | 2), OFFSET being
// where it starts. The parser then applies events without reading text.
class HeaptrackTokenizer
{
public:
    using Function = size_t (*)(std::string_view text, uint32_t* out);

    // Tokens of `text` (whole lines, each ending in a newline but perhaps the last) into
    // `out`, which has room for text.size() + 1; returns how many were written. Uses the
    // widest variant this processor runs.
    static size_t tokenize(std::string_view text, uint32_t* out);
    // The same tokens, a line at a time: the reference the fast variants are tested against.
    static size_t tokenizeLines(std::string_view text, uint32_t* out);
    // Every variant this processor runs, by name (for the tests).
    static std::vector<std::pair<const char*, Function>> variants();
};

} // namespace hs
