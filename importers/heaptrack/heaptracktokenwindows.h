#pragma once

// The tokenizer's loop, shared by its instruction-set variants: always inlined, so that each
// variant's copy is compiled for that variant's target.

#include "heaptrackhex.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace hs {
namespace {

// The token of the line at `p`, which then points past it.
inline uint32_t lineToken(const char* begin, const char*& p, const char* end)
{
    uint64_t info = 0;
    size_t digits = 0;
    uint16_t head = 0;
    if (end - p >= 10)
        std::memcpy(&head, p, 2);
    // "+ " and "- " as little-endian 16-bit words.
    if ((head == 0x202b || head == 0x202d) && heaptrackhex::readIndex8(p + 2, info, digits) &&
        info < (uint64_t(1) << 30)) {
        p += 3 + digits;
        return static_cast<uint32_t>(info << 2 | (head == 0x202d ? 1 : 0));
    }
    const auto token = static_cast<uint32_t>(size_t(p - begin) << 2 | 2);
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
    p = nl ? nl + 1 : end;
    return token;
}

// Bit i set where byte p[i] of a 64-byte window is a newline, and where it is a lowercase hex
// digit.
struct LineMasks
{
    uint64_t newline;
    uint64_t hex;
};

// 1-7 hex digits at the start of `w` (in memory order) as a number.
inline uint32_t hexValue(uint64_t w, unsigned digits)
{
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    uint64_t v = (w & (kOnes * 0x0f)) + 9 * ((w >> 6) & kOnes); // one digit per byte
    v = __builtin_bswap64(v) >> (8 * (8 - digits));             // first digit highest
    v = (v | (v >> 4)) & 0x00ff00ff00ff00ffull;
    v = (v | (v >> 8)) & 0x0000ffff0000ffffull;
    return static_cast<uint32_t>((v | (v >> 16)) & 0xffffffffull);
}

// 64 bytes at a time, each window starting at a line: the lines that end in it are cut from
// bit masks, so one line's work does not wait for the one before (line by line, finding each
// end was a chain of dependent loads). 16 bytes of slack for the reads.
template <typename Masks, typename Value = decltype(&hexValue)>
[[gnu::always_inline]] inline size_t tokenizeWindows(std::string_view text, uint32_t* out,
                                                     Masks masks, Value value = hexValue)
{
    uint32_t* const first = out;
    const char* const begin = text.data();
    const char* p = begin;
    const char* const end = p + text.size();
    while (end - p >= 64 + 16) {
        const LineMasks m = masks(p);
        if (m.newline == 0) { // a line longer than the window
            *out++ = lineToken(begin, p, end);
            continue;
        }
        const unsigned last = 63 - static_cast<unsigned>(std::countl_zero(m.newline));
        uint64_t starts = (1 | (m.newline << 1)) & (~0ull >> (63 - last));
        const auto base = static_cast<uint32_t>(p - begin);
        while (starts != 0) {
            const auto s = static_cast<unsigned>(std::countr_zero(starts));
            starts &= starts - 1;
            const unsigned digits =
                static_cast<unsigned>(std::countr_zero(m.newline >> s)) - 2; // wraps if < 2
            uint32_t token = (base + s) << 2 | 2;
            uint16_t head;
            std::memcpy(&head, p + s, 2);
            if ((head == 0x202b || head == 0x202d) && digits - 1 < 7) {
                const uint64_t want = ((uint64_t(1) << digits) - 1) << (s + 2);
                if ((m.hex & want) == want) {
                    uint64_t w;
                    std::memcpy(&w, p + s + 2, 8);
                    token = value(w, digits) << 2 | (head == 0x202d ? 1 : 0);
                }
            }
            *out++ = token;
        }
        p += last + 1;
    }
    while (p < end)
        *out++ = lineToken(begin, p, end);
    return size_t(out - first);
}

} // namespace
} // namespace hs
