#pragma once

#include "hugepageallocator.h"
#include "seededhash.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hs {

// An open-addressing map from 64-bit keys to 32-bit values: interning millions of stacks or
// aggregating millions of events wants one probe in one flat array, not a node per entry.
class FlatHashMap
{
public:
    static constexpr uint32_t kMissing = UINT32_MAX;

    uint32_t find(uint64_t key) const
    {
        if (m_slots.empty())
            return kMissing;
        for (size_t i = index(key);; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.value == kMissing)
                return kMissing;
            if (s.key == key)
                return s.value;
        }
    }

    // Returns the value stored for `key`, inserting `value` first if the key is new.
    uint32_t findOrInsert(uint64_t key, uint32_t value)
    {
        return findOrInsertHashed(key, value, [](uint32_t) { return true; });
    }

    // For keys wider than 64 bits: `hash` picks the slot, `equal(value)` confirms a candidate.
    template <typename Equal>
    uint32_t findOrInsertHashed(uint64_t hash, uint32_t value, Equal&& equal)
    {
        if ((m_size + 1) * 4 > m_slots.size() * 3)
            grow();
        for (size_t i = index(hash);; i = (i + 1) & m_mask) {
            Slot& s = m_slots[i];
            if (s.value == kMissing) {
                s = {hash, value};
                ++m_size;
                return value;
            }
            if (s.key == hash && equal(s.value))
                return s.value;
        }
    }

    size_t size() const { return m_size; }

    // Room for `count` entries without regrowing (a caller that knows its size skips the
    // rehashes and their copies).
    void reserve(size_t count)
    {
        size_t slotCount = 1024;
        while (count * 4 > slotCount * 3)
            slotCount *= 2;
        if (slotCount <= m_slots.size())
            return;
        HugeVector<Slot> old = std::move(m_slots);
        rehash(old, slotCount);
    }

    void clear() // and give the memory back: a cleared map is one no longer needed
    {
        HugeVector<Slot>().swap(m_slots);
        m_size = 0;
        m_mask = 0;
    }

private:
    struct Slot
    {
        uint64_t key = 0;
        uint32_t value = kMissing;
    };

    size_t index(uint64_t key) const
    {
        return static_cast<size_t>(seededhash::mix(key ^ seededhash::seed())) & m_mask;
    }

    void grow()
    {
        HugeVector<Slot> old = std::move(m_slots);
        rehash(old, old.empty() ? 1024 : old.size() * 2);
    }

    void rehash(const HugeVector<Slot>& old, size_t slotCount)
    {
        m_slots.assign(slotCount, Slot{});
        m_mask = m_slots.size() - 1;
        m_size = 0;
        for (const Slot& s : old) {
            if (s.value == kMissing)
                continue;
            size_t i = index(s.key);
            while (m_slots[i].value != kMissing)
                i = (i + 1) & m_mask;
            m_slots[i] = s;
            ++m_size;
        }
    }

    HugeVector<Slot> m_slots;
    size_t m_size = 0;
    size_t m_mask = 0;
};

} // namespace hs
