#pragma once

#include <bit>
#include <cstdint>
#include <stop_token>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace hs::pickle {

// The memo indices a pickle ever reads back (GET, BINGET, LONG_BINGET), found by one quick walk
// over the opcodes before the real read. A snapshot memoises millions of tuples it never reads
// again; knowing which ones are read lets the reader keep only those. The walk stops quietly at
// anything malformed: the real read reports it.
class PickleMemoScan
{
public:
    // Stops early (finding fewer reads) when `stop` is requested: the reader has given up.
    PickleMemoScan(std::string_view data, std::stop_token stop = {});

    static constexpr int64_t kNotRead = -1;
    static constexpr int64_t kLarge = -2; // read, but beyond the dense range

    // A dense slot number for each index that is read (0 .. slotCount()-1), so the reader can
    // keep those values in a plain array.
    int64_t slot(uint64_t index) const
    {
        if (index >= m_bits.size() * 64)
            return m_large.count(index) ? kLarge : kNotRead;
        const uint64_t word = m_bits[index / 64];
        const uint64_t bit = uint64_t(1) << (index % 64);
        if (!(word & bit))
            return kNotRead;
        return m_rank[index / 64] + popcount(word & (bit - 1));
    }
    size_t slotCount() const { return m_slots; }

private:
    // Inline bit counting: std::popcount becomes a library call on baseline x86-64.
    static int popcount(uint64_t x)
    {
        x = x - ((x >> 1) & 0x5555555555555555ull);
        x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
        x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
        return static_cast<int>((x * 0x0101010101010101ull) >> 56);
    }

    void scan(std::string_view data, const std::stop_token& stop);
    void mark(uint64_t index);

    std::vector<uint64_t> m_bits;
    std::vector<uint32_t> m_rank; // set bits before each word
    size_t m_slots = 0;
    std::unordered_set<uint64_t> m_large;
};

} // namespace hs::pickle
