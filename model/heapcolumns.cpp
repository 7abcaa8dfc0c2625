#include "heapcolumns.h"

#include "profiledata.h"

namespace hs {

namespace {

// One struct field -> one column, built and handed over one at a time.
template <typename Row, typename Get>
void put(const HeapColumnVisitor& visit, const std::string& name, const std::vector<Row>& rows,
         Get get)
{
    std::vector<uint64_t> column;
    column.reserve(rows.size());
    for (const Row& r : rows)
        column.push_back(static_cast<uint64_t>(get(r)));
    visit(name, column);
}

// Fills `rows` from the columns named `prefix.field`; all must have the same length.
template <typename Row>
class Reader
{
public:
    Reader(const HeapColumns& columns, std::string prefix, std::vector<Row>& rows,
           std::string& damage)
        : m_columns(columns), m_prefix(std::move(prefix)), m_rows(rows), m_damage(damage)
    {}

    template <typename Set>
    Reader& field(const char* name, Set set)
    {
        const auto it = m_columns.find(m_prefix + name);
        const size_t n = it == m_columns.end() ? 0 : it->second.size();
        if (m_first) {
            m_rows.resize(n);
            m_first = false;
        } else if (n != m_rows.size()) {
            m_damage = "heap columns of different lengths (" + m_prefix + name + ")";
            return *this;
        }
        for (size_t i = 0; i < n; ++i)
            set(m_rows[i], it->second[i]);
        return *this;
    }

private:
    const HeapColumns& m_columns;
    std::string m_prefix;
    std::vector<Row>& m_rows;
    std::string& m_damage;
    bool m_first = true;
};

template <typename T>
bool narrow(uint64_t v, T& out)
{
    out = static_cast<T>(v);
    return static_cast<uint64_t>(out) == v;
}

} // namespace

HeapColumns heapToColumns(const HeapProfile& heap)
{
    HeapColumns columns;
    visitHeapColumns(heap, [&](const std::string& name, const std::vector<uint64_t>& values) {
        auto& column = columns[name];
    column.insert(column.end(), values.begin(), values.end());
    });
    return columns;
}

void visitHeapColumns(const HeapProfile& h, const HeapColumnVisitor& c)
{
    if (h.empty())
        return;
    using C = HeapCost;
    put(c, "cost.stack", h.costs, [](const C& r) { return r.stack; });
    put(c, "cost.location", h.costs, [](const C& r) { return r.location; });
    put(c, "cost.allocations", h.costs, [](const C& r) { return r.allocations; });
    put(c, "cost.allocated_bytes", h.costs, [](const C& r) { return r.allocatedBytes; });
    put(c, "cost.temporary", h.costs, [](const C& r) { return r.temporary; });
    put(c, "cost.peak_bytes", h.costs, [](const C& r) { return r.peakBytes; });
    put(c, "cost.leaked_bytes", h.costs, [](const C& r) { return r.leakedBytes; });
    put(c, "cost.suppressed_bytes", h.costs, [](const C& r) { return r.suppressedBytes; });
    put(c, "location.frame", h.locations, [](uint32_t f) { return f; });
    using I = HeapInterval;
    put(c, "interval.time_ms", h.intervals, [](const I& r) { return r.timeMs; });
    put(c, "interval.allocations", h.intervals, [](const I& r) { return r.allocations; });
    put(c, "interval.temporary", h.intervals, [](const I& r) { return r.temporary; });
    put(c, "interval.allocated_bytes", h.intervals, [](const I& r) { return r.allocatedBytes; });
    put(c, "interval.freed_bytes", h.intervals, [](const I& r) { return r.freedBytes; });
    put(c, "interval.heap_start", h.intervals, [](const I& r) { return r.heapStart; });
    put(c, "interval.heap_max", h.intervals, [](const I& r) { return r.heapMax; });
    put(c, "interval.rss_bytes", h.intervals, [](const I& r) { return r.rssBytes; });
    c("bucket.width", {h.bucketWidth});
    using B = HeapBucketCost;
    put(c, "bucket_cost.bucket", h.bucketCosts, [](const B& r) { return r.bucket; });
    put(c, "bucket_cost.stack", h.bucketCosts, [](const B& r) { return r.stack; });
    put(c, "bucket_cost.allocations", h.bucketCosts, [](const B& r) { return r.allocations; });
    put(c, "bucket_cost.temporary", h.bucketCosts, [](const B& r) { return r.temporary; });
    put(c, "bucket_cost.allocated_bytes", h.bucketCosts,
        [](const B& r) { return r.allocatedBytes; });
    put(c, "bucket_cost.freed_bytes", h.bucketCosts, [](const B& r) { return r.freedBytes; });
    put(c, "size.size", h.sizes, [](const HeapSizeCount& r) { return r.size; });
    put(c, "size.count", h.sizes, [](const HeapSizeCount& r) { return r.count; });
}

HeapProfile heapFromColumns(const HeapColumns& c, size_t stacks, size_t frames, std::string& damage)
{
    HeapProfile h;
    if (c.empty())
        return h;
    bool ok = true;
    Reader<HeapCost>(c, "cost.", h.costs, damage)
        .field("stack", [&](HeapCost& r, uint64_t v) { ok &= narrow(v, r.stack) && v < stacks; })
        .field("location", [&](HeapCost& r, uint64_t v) { ok &= narrow(v, r.location); })
        .field("allocations", [](HeapCost& r, uint64_t v) { r.allocations = v; })
        .field("allocated_bytes", [](HeapCost& r, uint64_t v) { r.allocatedBytes = v; })
        .field("temporary", [](HeapCost& r, uint64_t v) { r.temporary = v; })
        .field("peak_bytes", [](HeapCost& r, uint64_t v) { r.peakBytes = v; })
        .field("leaked_bytes", [](HeapCost& r, uint64_t v) { r.leakedBytes = v; })
        .field("suppressed_bytes", [](HeapCost& r, uint64_t v) { r.suppressedBytes = v; });
    Reader<uint32_t>(c, "location.", h.locations, damage)
        .field("frame", [&](uint32_t& r, uint64_t v) { ok &= narrow(v, r) && v < frames; });
    using I = HeapInterval;
    Reader<I>(c, "interval.", h.intervals, damage)
        .field("time_ms", [](I& r, uint64_t v) { r.timeMs = static_cast<int64_t>(v); })
        .field("allocations", [](I& r, uint64_t v) { r.allocations = v; })
        .field("temporary", [](I& r, uint64_t v) { r.temporary = v; })
        .field("allocated_bytes", [](I& r, uint64_t v) { r.allocatedBytes = v; })
        .field("freed_bytes", [](I& r, uint64_t v) { r.freedBytes = v; })
        .field("heap_start", [](I& r, uint64_t v) { r.heapStart = v; })
        .field("heap_max", [](I& r, uint64_t v) { r.heapMax = v; })
        .field("rss_bytes", [](I& r, uint64_t v) { r.rssBytes = v; });
    const auto width = c.find("bucket.width");
    if (width == c.end() || width->second.size() != 1 || width->second[0] == 0 ||
        !narrow(width->second[0], h.bucketWidth))
        ok = false;
    const uint64_t buckets = h.intervals.size() / std::max<uint32_t>(h.bucketWidth, 1) + 1;
    using B = HeapBucketCost;
    Reader<B>(c, "bucket_cost.", h.bucketCosts, damage)
        .field("bucket", [&](B& r, uint64_t v) { ok &= narrow(v, r.bucket) && v < buckets; })
        .field("stack", [&](B& r, uint64_t v) { ok &= narrow(v, r.stack) && v < stacks; })
        .field("allocations", [](B& r, uint64_t v) { r.allocations = v; })
        .field("temporary", [](B& r, uint64_t v) { r.temporary = v; })
        .field("allocated_bytes", [](B& r, uint64_t v) { r.allocatedBytes = v; })
        .field("freed_bytes", [](B& r, uint64_t v) { r.freedBytes = v; });
    Reader<HeapSizeCount>(c, "size.", h.sizes, damage)
        .field("size", [](HeapSizeCount& r, uint64_t v) { r.size = v; })
        .field("count", [](HeapSizeCount& r, uint64_t v) { r.count = v; });
    for (const HeapCost& cost : h.costs)
        ok &= cost.location < h.locations.size();
    if (!ok && damage.empty())
        damage = "a heap profile refers to something that does not exist";
    return h;
}

} // namespace hs
