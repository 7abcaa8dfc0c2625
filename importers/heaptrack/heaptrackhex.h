#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace hs::heaptrackhex {

// heaptrack's numbers: lower-case hex, no prefix, ended by a space or the end of the text.
// Consumes the number and the space after it.
inline bool read(std::string_view& text, uint64_t& value)
{
    size_t i = 0;
    value = 0;
    for (; i < text.size() && text[i] != ' '; ++i) {
        const char c = text[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else
            return false;
        if (i >= 16)
            return false; // more than 64 bits
        value = value << 4 | digit;
    }
    if (i == 0)
        return false;
    text.remove_prefix(i < text.size() ? i + 1 : i);
    return true;
}

// An event's allocation-info index, read with word operations: the up to 8 hex digits after
// "+ " and the newline ending them are found and converted without a branch per character.
// Returns false when the 8 bytes at `q` are not 1-8 lowercase hex digits and a newline.
inline bool readIndex8(const char* q, uint64_t& value, size_t& digits)
{
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    uint64_t w;
    std::memcpy(&w, q, 8);
    const uint64_t x = w ^ (kOnes * '\n');
    const uint64_t newline = (x - kOnes) & ~x & kHigh;
    if (newline == 0)
        return false;
    digits = static_cast<size_t>(std::countr_zero(newline)) / 8;
    if (digits == 0)
        return false;
    const uint64_t mask = digits == 8 ? ~0ull : (uint64_t(1) << (8 * digits)) - 1;
    w &= mask;
    const auto atLeast = [&](unsigned char lo) { return (w + kOnes * (128 - lo)) & kHigh; };
    const auto above = [&](unsigned char hi) { return (w + kOnes * (127 - hi)) & kHigh; };
    const uint64_t hex = (atLeast('0') & ~above('9')) | (atLeast('a') & ~above('f'));
    if ((w & kHigh) != 0 || hex != (kHigh & mask))
        return false;
    uint64_t v = (w & (kOnes * 0x0f)) + 9 * ((w >> 6) & kOnes); // one digit per byte
    v = __builtin_bswap64(v) >> (8 * (8 - digits));             // first digit highest
    v = (v | (v >> 4)) & 0x00ff00ff00ff00ffull;
    v = (v | (v >> 8)) & 0x0000ffff0000ffffull;
    value = (v | (v >> 16)) & 0xffffffffull;
    return true;
}

} // namespace hs::heaptrackhex
