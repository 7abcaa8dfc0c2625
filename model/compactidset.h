#pragma once

#include "hugepageallocator.h"

#include <cstddef>
#include <cstdint>

namespace hs {

// An open-addressing set of ids whose keys live in the caller's arrays: a slot holds an id and
// 32 bits of its key's hash (8 bytes, half a key-and-value slot), and a candidate is confirmed
// by the caller only when those bits match.
class CompactIdSet
{
public:
    static constexpr uint32_t kEmpty = UINT32_MAX;

    // The id whose key `equal(id)` confirms, else `id` inserted. `hashOf(id)` re-hashes an id
    // when the table grows.
    template <typename Equal, typename HashOf>
    uint32_t findOrInsert(uint64_t hash, uint32_t id, Equal&& equal, HashOf&& hashOf)
    {
        if ((m_size + 1) * 5 > m_slots.size() * 4) // at most 80% full: tags keep probes cheap
            grow(hashOf);
        const auto tag = static_cast<uint32_t>(hash >> 32);
        for (size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            Slot& s = m_slots[i];
            if (s.id == kEmpty) {
                s = {tag, id};
                ++m_size;
                return id;
            }
            if (s.tag == tag && equal(s.id))
                return s.id;
        }
    }

    // Room for `count` ids, so that the table does not grow (and hold two copies) later.
    template <typename HashOf>
    void reserve(size_t count, HashOf&& hashOf)
    {
        while ((count + 1) * 5 > m_slots.size() * 4)
            grow(hashOf);
    }

    void clear()
    {
        m_slots.clear();
        m_size = 0;
        m_mask = 0;
    }

private:
    struct Slot
    {
        uint32_t tag = 0;
        uint32_t id = kEmpty;
    };

    template <typename HashOf>
    void grow(HashOf& hashOf)
    {
        HugeVector<Slot> old = std::move(m_slots);
        m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
        m_mask = m_slots.size() - 1;
        for (const Slot& s : old) {
            if (s.id == kEmpty)
                continue;
            size_t i = hashOf(s.id) & m_mask;
            while (m_slots[i].id != kEmpty)
                i = (i + 1) & m_mask;
            m_slots[i] = s;
        }
    }

    HugeVector<Slot> m_slots;
    size_t m_size = 0;
    size_t m_mask = 0;
};

} // namespace hs
