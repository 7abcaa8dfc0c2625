#include "heapcolumnreader.h"

#include <algorithm>

namespace hs {

namespace {

template <typename T>
bool narrow(uint64_t v, T& out)
{
    out = static_cast<T>(v);
    return static_cast<uint64_t>(out) == v;
}

} // namespace

HeapColumnReader::HeapColumnReader(size_t stacks, size_t frames)
    : m_stacks(stacks), m_frames(frames)
{}

template <typename Rows, typename Set>
void HeapColumnReader::fill(Table& table, Rows& rows, const std::vector<uint64_t>& values, Set set)
{
    if (table.seen++ == 0) {
        table.rows = values.size();
        rows.resize(values.size());
    } else if (values.size() != table.rows) {
        if (m_damage.empty())
            m_damage = std::string("heap columns of different lengths (") + table.name + ")";
        return;
    }
    for (size_t i = 0; i < values.size(); ++i)
        set(rows[i], values[i]);
}

void HeapColumnReader::column(std::string_view name, const std::vector<uint64_t>& v)
{
    m_any = true;
    const size_t dot = name.find('.');
    if (dot == std::string_view::npos)
        return;
    const std::string_view table = name.substr(0, dot), field = name.substr(dot + 1);
    HeapProfile& h = m_heap;
    bool& ok = m_ok;
    if (table == "cost") {
        using C = HeapCost;
        auto& t = m_costs;
        if (field == "stack")
            fill(t, h.costs, v,
                 [&](C& r, uint64_t x) { ok &= narrow(x, r.stack) && x < m_stacks; });
        else if (field == "location")
            fill(t, h.costs, v, [&](C& r, uint64_t x) { ok &= narrow(x, r.location); });
        else if (field == "allocations")
            fill(t, h.costs, v, [](C& r, uint64_t x) { r.allocations = x; });
        else if (field == "allocated_bytes")
            fill(t, h.costs, v, [](C& r, uint64_t x) { r.allocatedBytes = x; });
        else if (field == "temporary")
            fill(t, h.costs, v, [](C& r, uint64_t x) { r.temporary = x; });
        else if (field == "peak_bytes")
            fill(t, h.costs, v, [](C& r, uint64_t x) { r.peakBytes = x; });
        else if (field == "leaked_bytes")
            fill(t, h.costs, v, [](C& r, uint64_t x) { r.leakedBytes = x; });
        else if (field == "suppressed_bytes")
            fill(t, h.costs, v, [](C& r, uint64_t x) { r.suppressedBytes = x; });
    } else if (table == "location") {
        if (field == "frame")
            fill(m_locations, h.locations, v,
                 [&](uint32_t& r, uint64_t x) { ok &= narrow(x, r) && x < m_frames; });
    } else if (table == "interval") {
        using I = HeapInterval;
        auto& t = m_intervals;
        if (field == "time_ms")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.timeMs = static_cast<int64_t>(x); });
        else if (field == "allocations")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.allocations = x; });
        else if (field == "temporary")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.temporary = x; });
        else if (field == "allocated_bytes")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.allocatedBytes = x; });
        else if (field == "freed_bytes")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.freedBytes = x; });
        else if (field == "heap_start")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.heapStart = x; });
        else if (field == "heap_max")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.heapMax = x; });
        else if (field == "rss_bytes")
            fill(t, h.intervals, v, [](I& r, uint64_t x) { r.rssBytes = x; });
    } else if (table == "bucket") {
        if (field == "width") {
            ok &= !m_widthSeen && v.size() == 1 && v[0] != 0 && narrow(v[0], h.bucketWidth);
            m_widthSeen = true;
        }
    } else if (table == "bucket_cost") {
        using B = HeapBucketCost;
        auto& t = m_bucketCosts;
        // Bucket numbers are checked in finish(), once the intervals are known.
        if (field == "bucket")
            fill(t, h.bucketCosts, v, [&](B& r, uint64_t x) { ok &= narrow(x, r.bucket); });
        else if (field == "stack")
            fill(t, h.bucketCosts, v,
                 [&](B& r, uint64_t x) { ok &= narrow(x, r.stack) && x < m_stacks; });
        else if (field == "allocations")
            fill(t, h.bucketCosts, v, [](B& r, uint64_t x) { r.allocations = x; });
        else if (field == "temporary")
            fill(t, h.bucketCosts, v, [](B& r, uint64_t x) { r.temporary = x; });
        else if (field == "allocated_bytes")
            fill(t, h.bucketCosts, v, [](B& r, uint64_t x) { r.allocatedBytes = x; });
        else if (field == "freed_bytes")
            fill(t, h.bucketCosts, v, [](B& r, uint64_t x) { r.freedBytes = x; });
    } else if (table == "size") {
        using S = HeapSizeCount;
        if (field == "size")
            fill(m_sizes, h.sizes, v, [](S& r, uint64_t x) { r.size = x; });
        else if (field == "count")
            fill(m_sizes, h.sizes, v, [](S& r, uint64_t x) { r.count = x; });
    }
}

HeapProfile HeapColumnReader::finish(std::string& damage)
{
    if (!m_any)
        return {};
    // A struct with some fields stored must have all of them (a missing one would read as 0).
    for (const Table* t : {&m_costs, &m_locations, &m_intervals, &m_bucketCosts, &m_sizes})
        if (t->seen != 0 && t->seen != t->fields && t->rows != 0 && m_damage.empty())
            m_damage = std::string("heap columns of different lengths (") + t->name + ")";
    HeapProfile& h = m_heap;
    bool ok = m_ok && m_widthSeen;
    const uint64_t buckets = h.intervals.size() / std::max<uint32_t>(h.bucketWidth, 1) + 1;
    for (const HeapBucketCost& b : h.bucketCosts)
        ok &= b.bucket < buckets;
    for (const HeapCost& cost : h.costs)
        ok &= cost.location < h.locations.size();
    damage = m_damage;
    if (!ok && damage.empty())
        damage = "a heap profile refers to something that does not exist";
    return std::move(m_heap);
}

} // namespace hs
