#include "picklememo.h"

namespace hs::pickle {

PickleMemo::PickleMemo(std::string_view data)
{
    m_provisional.reserve(std::min<size_t>(data.size() / 16, size_t(1) << 26));
    try {
        m_thread = std::jthread([this, data](std::stop_token stop) {
            try {
                m_scan.emplace(data, stop);
                m_scanned.store(true, std::memory_order_release);
            } catch (...) {
                // Without the scan the memo simply keeps every value.
            }
        });
    } catch (const std::system_error&) {
        // No thread to be had: keep every value.
    }
}

PickleMemo::~PickleMemo() = default;

void PickleMemo::put(uint64_t index, const Value& value)
{
    if (index == m_dense) {
        ++m_dense;
        while (!m_above.empty() && m_above.erase(m_dense))
            ++m_dense;
    } else if (index > m_dense) {
        m_above.insert(index); // a huge index costs one entry, not a huge array
    }
    if (!m_compacted && m_scanned.load(std::memory_order_acquire))
        compact();
    if (!m_compacted) {
        if (index < m_provisional.size()) {
            m_provisional[index] = value;
        } else if (index == m_provisional.size()) {
            m_provisional.push_back(value);
            if (!m_sparse.empty())
                m_sparse.erase(index); // sparse keys stay beyond the dense part
        } else {
            m_sparse[index] = value;
        }
        return;
    }
    const int64_t slot = m_scan->slot(index);
    if (slot >= 0)
        m_slots[static_cast<size_t>(slot)] = value;
    else if (slot == PickleMemoScan::kLarge)
        m_sparse[index] = value;
}

const Value* PickleMemo::find(uint64_t index) const
{
    if (!m_compacted) {
        if (index < m_provisional.size())
            return &m_provisional[index];
    } else if (const int64_t slot = m_scan->slot(index); slot >= 0) {
        const Value& v = m_slots[static_cast<size_t>(slot)];
        return v.depth == kUnset ? nullptr : &v;
    } else if (slot == PickleMemoScan::kNotRead) {
        return nullptr;
    }
    const auto it = m_sparse.find(index);
    return it == m_sparse.end() ? nullptr : &it->second;
}

void PickleMemo::compact()
{
    m_slots.assign(m_scan->slotCount(), Value{Kind::None, kUnset, 0, 0, 0});
    for (uint64_t i = 0; i < m_provisional.size(); ++i) {
        if (const int64_t slot = m_scan->slot(i); slot >= 0)
            m_slots[static_cast<size_t>(slot)] = m_provisional[i];
    }
    for (auto it = m_sparse.begin(); it != m_sparse.end();) {
        const int64_t slot = m_scan->slot(it->first);
        if (slot >= 0)
            m_slots[static_cast<size_t>(slot)] = it->second;
        it = slot == PickleMemoScan::kLarge ? std::next(it) : m_sparse.erase(it);
    }
    std::vector<Value>().swap(m_provisional);
    m_compacted = true;
}

} // namespace hs::pickle
