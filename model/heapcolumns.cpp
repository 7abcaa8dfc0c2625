#include "heapcolumns.h"

#include "profiledata.h"

namespace hs {

namespace {

// One struct field -> one column, built and handed over one at a time.
template <typename Rows, typename Get>
void put(const HeapColumnVisitor& visit, const std::string& name, const Rows& rows, Get get)
{
    std::vector<uint64_t> column;
    column.reserve(rows.size());
    for (const auto& r : rows)
        column.push_back(static_cast<uint64_t>(get(r)));
    visit(name, column);
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

} // namespace hs
