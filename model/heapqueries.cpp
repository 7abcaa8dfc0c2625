#include "heapqueries.h"

#include <algorithm>

namespace hs {

namespace {

size_t bucketCount(const HeapProfile& heap)
{
    const size_t w = std::max<uint32_t>(heap.bucketWidth, 1);
    return (heap.intervals.size() + w - 1) / w;
}

void setIntervals(const HeapProfile& heap, HeapWindow& w)
{
    const size_t width = std::max<uint32_t>(heap.bucketWidth, 1);
    w.firstInterval = std::min(w.firstBucket * width, heap.intervals.size());
    w.endInterval = std::min(w.endBucket * width, heap.intervals.size());
    if (w.firstInterval < w.endInterval) {
        w.fromMs = heap.intervals[w.firstInterval].timeMs;
        w.toMs = heap.intervals[w.endInterval - 1].timeMs;
    }
}

int64_t magnitude(int64_t v)
{
    return v < 0 ? -v : v;
}

template <typename Member>
void sortBy(std::vector<HeapSite>& sites, Member member)
{
    // heaptrack_print's comparison, with the same (unstable) std::sort: equal costs end up in
    // the order it prints them.
    std::sort(sites.begin(), sites.end(), [member](const HeapSite& l, const HeapSite& r) {
        return magnitude(l.*member) > magnitude(r.*member);
    });
}

template <typename Member>
std::vector<HeapSite> head(const std::vector<HeapSite>& sorted, Member member, size_t limit)
{
    std::vector<HeapSite> out;
    for (const HeapSite& s : sorted) {
        if (out.size() >= limit || s.*member == 0)
            break;
        out.push_back(s);
    }
    return out;
}

} // namespace

HeapWindow heapWindow(const HeapProfile& heap)
{
    HeapWindow w;
    w.endBucket = bucketCount(heap);
    setIntervals(heap, w);
    return w;
}

HeapWindow heapWindow(const HeapProfile& heap, int64_t fromMs, int64_t toMs)
{
    HeapWindow w;
    w.whole = false;
    w.fromMs = fromMs;
    w.toMs = toMs;
    const size_t width = std::max<uint32_t>(heap.bucketWidth, 1);
    bool any = false;
    for (size_t i = 0; i < heap.intervals.size(); ++i) {
        const int64_t t = heap.intervals[i].timeMs;
        if (t < fromMs || t > toMs)
            continue;
        const size_t b = i / width;
        w.firstBucket = any ? std::min(w.firstBucket, b) : b;
        w.endBucket = any ? std::max(w.endBucket, b + 1) : b + 1;
        any = true;
    }
    setIntervals(heap, w);
    return w;
}

HeapTotals heapTotals(const HeapProfile& heap, const HeapWindow& window)
{
    HeapTotals t;
    int64_t added = 0; // heap in use relative to the window's start
    int64_t peak = 0;
    for (size_t i = window.firstInterval; i < window.endInterval; ++i) {
        const HeapInterval& in = heap.intervals[i];
        t.allocations += in.allocations;
        t.temporary += in.temporary;
        t.allocatedBytes += in.allocatedBytes;
        t.peakRssBytes = std::max(t.peakRssBytes, in.rssBytes);
        const int64_t candidate = added + static_cast<int64_t>(in.heapMax - in.heapStart);
        if (candidate > peak) {
            peak = candidate;
            t.peakTimeMs = in.timeMs;
        }
        added += static_cast<int64_t>(in.allocatedBytes) - static_cast<int64_t>(in.freedBytes);
    }
    t.deltaBytes = added;
    t.peakBytes = static_cast<uint64_t>(peak);
    return t;
}

HeapTopLists heapTopLists(const HeapProfile& heap, const HeapWindow& window, size_t limit)
{
    std::vector<HeapSite> sites(heap.locations.size());
    for (size_t i = 0; i < sites.size(); ++i)
        sites[i].location = static_cast<uint32_t>(i);
    HugeVector<uint32_t> locationOfStack; // up to millions of stacks: filled in huge pages
    if (!window.whole) { // sized once: grown by one stack at a time it was copied over and over
        uint32_t maxStack = 0;
        for (const HeapCost& c : heap.costs)
            maxStack = std::max(maxStack, c.stack);
        locationOfStack.assign(heap.costs.empty() ? 0 : size_t(maxStack) + 1, UINT32_MAX);
    }
    for (const HeapCost& c : heap.costs) {
        if (c.location >= sites.size())
            continue;
        if (window.whole) {
            HeapSite& s = sites[c.location];
            s.allocations += static_cast<int64_t>(c.allocations);
            s.temporary += static_cast<int64_t>(c.temporary);
            s.peakBytes += static_cast<int64_t>(c.peakBytes);
            s.leakedBytes += static_cast<int64_t>(c.leakedBytes);
            s.allocatedBytes += static_cast<int64_t>(c.allocatedBytes);
        } else {
            locationOfStack[c.stack] = c.location;
        }
    }
    if (!window.whole) {
        for (const HeapBucketCost& b : heap.bucketCosts) {
            if (b.bucket < window.firstBucket || b.bucket >= window.endBucket ||
                b.stack >= locationOfStack.size() || locationOfStack[b.stack] == UINT32_MAX)
                continue;
            HeapSite& s = sites[locationOfStack[b.stack]];
            s.allocations += static_cast<int64_t>(b.allocations);
            s.temporary += static_cast<int64_t>(b.temporary);
            s.allocatedBytes += static_cast<int64_t>(b.allocatedBytes);
            s.leakedBytes +=
                static_cast<int64_t>(b.allocatedBytes) - static_cast<int64_t>(b.freedBytes);
        }
    }
    // The sequence of sorts heaptrack_print runs by default, each on the previous result.
    HeapTopLists lists;
    sortBy(sites, &HeapSite::allocations);
    lists.allocations = head(sites, &HeapSite::allocations, limit);
    if (window.whole) {
        sortBy(sites, &HeapSite::peakBytes);
        lists.peak = head(sites, &HeapSite::peakBytes, limit);
    }
    std::vector<HeapSite> leaks = sites;
    sortBy(leaks, &HeapSite::leakedBytes);
    lists.leaked = head(leaks, &HeapSite::leakedBytes, limit);
    sortBy(sites, &HeapSite::temporary);
    lists.temporary = head(sites, &HeapSite::temporary, limit);
    return lists;
}

std::string shortenTemplates(std::string_view function)
{
    std::string out;
    out.reserve(function.size());
    int depth = 0;
    for (const char c : function) {
        if ((c == '<' || c == '>') && out.size() >= 8) {
            // operator<, operator<<, operator>, operator>> are names, not template brackets.
            const std::string_view name =
                out.back() == c ? (c == '<' ? "operator<" : "operator>") : "operator";
            if (std::string_view(out).ends_with(name)) {
                out.push_back(c);
                continue;
            }
        }
        if (c == '<') {
            if (++depth == 1)
                out.push_back(c);
        } else if (c == '>') {
            --depth;
        }
        if (depth == 0)
            out.push_back(c);
    }
    return out;
}

std::vector<HeapChartPoint> heapChart(const HeapProfile& heap, size_t maxPoints)
{
    std::vector<HeapChartPoint> points;
    const size_t n = heap.intervals.size();
    if (n == 0 || maxPoints == 0)
        return points;
    const size_t group = (n + maxPoints - 1) / maxPoints;
    uint64_t allocations = 0, temporary = 0;
    for (size_t first = 0; first < n; first += group) {
        HeapChartPoint p;
        p.timeMs = heap.intervals[first].timeMs;
        for (size_t i = first; i < std::min(n, first + group); ++i) {
            const HeapInterval& in = heap.intervals[i];
            p.heapBytes = std::max(p.heapBytes, in.heapMax);
            p.rssBytes = std::max(p.rssBytes, in.rssBytes);
            allocations += in.allocations;
            temporary += in.temporary;
        }
        p.allocations = allocations;
        p.temporary = temporary;
        points.push_back(p);
    }
    return points;
}

HeapSiteSeries heapSiteSeries(const HeapProfile& heap, const std::vector<uint32_t>& locations)
{
    HeapSiteSeries out;
    const size_t width = std::max<size_t>(heap.bucketWidth, 1);
    const size_t buckets = (heap.intervals.size() + width - 1) / width;
    for (size_t b = 0; b < buckets; ++b)
        out.timeMs.push_back(
            heap.intervals[std::min((b + 1) * width, heap.intervals.size()) - 1].timeMs);
    out.bytes.assign(locations.size(), std::vector<int64_t>(buckets, 0));
    // Which requested location (its slot) each stack's costs go to.
    std::vector<uint32_t> slotOfLocation(heap.locations.size(), UINT32_MAX);
    for (size_t k = 0; k < locations.size(); ++k)
        if (locations[k] < slotOfLocation.size())
            slotOfLocation[locations[k]] = static_cast<uint32_t>(k);
    std::vector<uint32_t> slotOfStack;
    for (const HeapCost& c : heap.costs) {
        if (c.location >= slotOfLocation.size() || slotOfLocation[c.location] == UINT32_MAX)
            continue;
        if (c.stack >= slotOfStack.size())
            slotOfStack.resize(c.stack + 1, UINT32_MAX);
        slotOfStack[c.stack] = slotOfLocation[c.location];
    }
    for (const HeapBucketCost& b : heap.bucketCosts)
        if (b.bucket < buckets && b.stack < slotOfStack.size() &&
            slotOfStack[b.stack] != UINT32_MAX)
            out.bytes[slotOfStack[b.stack]][b.bucket] +=
                static_cast<int64_t>(b.allocatedBytes) - static_cast<int64_t>(b.freedBytes);
    for (auto& series : out.bytes)
        for (size_t b = 1; b < series.size(); ++b)
            series[b] += series[b - 1];
    return out;
}

} // namespace hs
