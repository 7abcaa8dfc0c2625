#pragma once

#include "hugepageallocator.h"

#include <cstddef>
#include <cstdint>

namespace hs {

// An open-addressing set of ids whose keys live in the caller's arrays: a slot holds an id and
// 16 bits of its key's hash (6 bytes, in two arrays; a key-and-value slot takes 16), and a
// candidate is confirmed by the caller only when those bits match.
class CompactIdSet
{
public:
    static constexpr uint32_t kEmpty = UINT32_MAX;

    // The id whose key `equal(id)` confirms, else `id` inserted. `hashOf(id)` re-hashes an id
    // when the table grows.
    template <typename Equal, typename HashOf>
    uint32_t findOrInsert(uint64_t hash, uint32_t id, Equal&& equal, HashOf&& hashOf)
    {
        if ((m_size + 1) * 5 > m_ids.size() * 4) // at most 80% full: tags keep probes cheap
            grow(hashOf);
        const auto tag = static_cast<uint16_t>(hash >> 48);
        for (size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            if (m_ids[i] == kEmpty) {
                m_ids[i] = id;
                m_tags[i] = tag;
                ++m_size;
                return id;
            }
            if (m_tags[i] == tag && equal(m_ids[i]))
                return m_ids[i];
        }
    }

    // The id whose key `equal(id)` confirms, else kEmpty.
    template <typename Equal>
    uint32_t find(uint64_t hash, Equal&& equal) const
    {
        if (m_ids.empty())
            return kEmpty;
        const auto tag = static_cast<uint16_t>(hash >> 48);
        for (size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            if (m_ids[i] == kEmpty)
                return kEmpty;
            if (m_tags[i] == tag && equal(m_ids[i]))
                return m_ids[i];
        }
    }

    // Inserts an id whose key the caller knows is not in the set yet.
    template <typename HashOf>
    void insertNew(uint64_t hash, uint32_t id, HashOf&& hashOf)
    {
        if ((m_size + 1) * 5 > m_ids.size() * 4)
            grow(hashOf);
        size_t i = hash & m_mask;
        while (m_ids[i] != kEmpty)
            i = (i + 1) & m_mask;
        m_ids[i] = id;
        m_tags[i] = static_cast<uint16_t>(hash >> 48);
        ++m_size;
    }

    // Room for `count` ids, so that the table does not grow (and hold two copies) later.
    template <typename HashOf>
    void reserve(size_t count, HashOf&& hashOf)
    {
        while ((count + 1) * 5 > m_ids.size() * 4)
            grow(hashOf);
    }

    void clear() // and give the memory back: a cleared index is one no longer needed
    {
        HugeVector<uint32_t>().swap(m_ids);
        HugeVector<uint16_t>().swap(m_tags);
        m_size = 0;
        m_mask = 0;
    }

private:
    template <typename HashOf>
    void grow(HashOf& hashOf)
    {
        HugeVector<uint32_t> oldIds = std::move(m_ids);
        HugeVector<uint16_t> oldTags = std::move(m_tags);
        const size_t size = oldIds.empty() ? 1024 : oldIds.size() * 2;
        m_ids.assign(size, kEmpty);
        m_tags.assign(size, 0);
        m_mask = size - 1;
        for (size_t k = 0; k < oldIds.size(); ++k) {
            if (oldIds[k] == kEmpty)
                continue;
            size_t i = hashOf(oldIds[k]) & m_mask;
            while (m_ids[i] != kEmpty)
                i = (i + 1) & m_mask;
            m_ids[i] = oldIds[k];
            m_tags[i] = oldTags[k];
        }
    }

    HugeVector<uint32_t> m_ids;
    HugeVector<uint16_t> m_tags;
    size_t m_size = 0;
    size_t m_mask = 0;
};

} // namespace hs
