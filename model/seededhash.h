#pragma once

#include <cstdint>
#include <cstring>
#include <random>
#include <string_view>

namespace hs {

// Hashing for tables whose keys come from input files. A per-process random seed keeps a
// crafted file from choosing keys that collide (which would make interning quadratic).
namespace seededhash {

inline uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

inline uint64_t seed()
{
    static const uint64_t value = [] {
        std::random_device rd;
        return (static_cast<uint64_t>(rd()) << 32) ^ rd();
    }();
    return value;
}

inline uint64_t combine(uint64_t h, uint64_t value)
{
    return mix(h ^ value);
}

inline uint64_t bytes(std::string_view s)
{
    uint64_t h = mix(seed() ^ (s.size() * 0x9E3779B97F4A7C15ull));
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        uint64_t word;
        std::memcpy(&word, s.data() + i, 8);
        h = mix(h ^ word);
    }
    uint64_t tail = 0;
    if (i < s.size()) // an empty view may have no data pointer at all
        std::memcpy(&tail, s.data() + i, s.size() - i);
    return mix(h ^ tail);
}

} // namespace seededhash
} // namespace hs
