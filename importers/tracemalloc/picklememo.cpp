#include "picklememo.h"

#include <algorithm>

namespace hs::pickle {

namespace {
bool droppable(Kind k)
{
    return k == Kind::PairTuple || k == Kind::TraceTuple3 || k == Kind::TraceTuple4;
}
} // namespace

PickleMemo::PickleMemo(bool keepAll, size_t expectedEntries) : m_keepAll(keepAll)
{
    m_dense.reserve(std::min<size_t>(expectedEntries, size_t(1) << 26));
}

void PickleMemo::put(uint64_t index, const Value& value)
{
    const bool keep = m_keepAll || !droppable(value.kind);
    if (index < m_dense.size()) {
        uint32_t& slot = m_dense[index];
        if (!keep) {
            slot = kDropped;
        } else if (slot != kDropped) {
            m_values[slot] = value;
        } else {
            slot = static_cast<uint32_t>(m_values.size());
            m_values.push_back(value);
        }
        return;
    }
    if (index > m_dense.size() || m_values.size() >= kDropped) {
        m_sparse[index] = value; // a huge index costs one entry, not a huge array
        return;
    }
    m_dense.push_back(keep ? static_cast<uint32_t>(m_values.size()) : kDropped);
    if (keep)
        m_values.push_back(value);
    // Keys set earlier beyond the dense part join it once the gap before them is filled.
    while (!m_sparse.empty()) {
        const auto it = m_sparse.find(index);
        if (it == m_sparse.end()) {
            const auto next = m_sparse.find(m_dense.size());
            if (next == m_sparse.end())
                break;
            m_dense.push_back(static_cast<uint32_t>(m_values.size()));
            m_values.push_back(next->second);
            m_sparse.erase(next);
        } else {
            m_sparse.erase(it); // this put replaced it
        }
    }
}

const Value* PickleMemo::find(uint64_t index) const
{
    if (index < m_dense.size()) {
        const uint32_t slot = m_dense[index];
        if (slot == kDropped)
            throw NeedsFullMemo{};
        return &m_values[slot];
    }
    const auto it = m_sparse.find(index);
    return it == m_sparse.end() ? nullptr : &it->second;
}

} // namespace hs::pickle
