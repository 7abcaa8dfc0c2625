#pragma once

#include "heapprofile.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hs {

// A time window of a heap profile, widened to whole time buckets so that every figure in it is
// exact: buckets [firstBucket, endBucket), intervals [firstInterval, endInterval).
struct HeapWindow
{
    bool whole = true;
    size_t firstBucket = 0, endBucket = 0;
    size_t firstInterval = 0, endInterval = 0;
    int64_t fromMs = 0, toMs = 0; // timestamps of the first and last interval included
};

// The whole recording, or the buckets with an interval whose timestamp is in [fromMs, toMs]
// (heaptrack's "filter in": events are placed by the last timestamp before them).
HeapWindow heapWindow(const HeapProfile& heap);
HeapWindow heapWindow(const HeapProfile& heap, int64_t fromMs, int64_t toMs);

// Figures over a window with heaptrack's definitions. For a part of the recording the heap
// figures are relative to its start: peak is the most added at any moment, delta what was
// added minus what was freed (heaptrack's "memory consumption delta").
struct HeapTotals
{
    uint64_t allocations = 0;
    uint64_t temporary = 0;
    uint64_t allocatedBytes = 0;
    int64_t deltaBytes = 0;
    uint64_t peakBytes = 0;
    int64_t peakTimeMs = 0;
    uint64_t peakRssBytes = 0;
};
HeapTotals heapTotals(const HeapProfile& heap, const HeapWindow& window);

// One merged location (heaptrack_print's "from" entries) with its summed costs.
struct HeapSite
{
    uint32_t location = 0;
    int64_t allocations = 0;
    int64_t temporary = 0;
    int64_t peakBytes = 0;
    int64_t leakedBytes = 0; // for a part of the recording: the consumption delta
    int64_t allocatedBytes = 0;
};

// heaptrack_print's top lists, in its order: it sorts one array of merged locations by calls,
// then by peak, then by temporary (leaked as with -l, after peak); ties keep the order that
// sequence of sorts leaves. Entries with a zero cost end a list. A window has no peak list.
struct HeapTopLists
{
    std::vector<HeapSite> allocations, peak, leaked, temporary;
};
HeapTopLists heapTopLists(const HeapProfile& heap, const HeapWindow& window, size_t limit);

// heaptrack's shortened C++ names: template arguments dropped, "foo<>(int)".
std::string shortenTemplates(std::string_view function);

// The timeline decimated for a chart: each point the maximum heap over its stretch, the
// cumulative calls and temporary allocations at its end, the largest RSS sample.
struct HeapChartPoint
{
    int64_t timeMs = 0;
    uint64_t heapBytes = 0;
    uint64_t allocations = 0;
    uint64_t temporary = 0;
    uint64_t rssBytes = 0;
};
std::vector<HeapChartPoint> heapChart(const HeapProfile& heap, size_t maxPoints);

// The live bytes of some merged locations over the recording, at the end of every time bucket:
// what their stacks allocated less what was freed of it, from the start. Exact at bucket
// resolution; the sum over every location is the heap in use at each bucket's end.
struct HeapSiteSeries
{
    std::vector<int64_t> timeMs;             // the last timestamp of each bucket
    std::vector<std::vector<int64_t>> bytes; // by requested location, then bucket
};
HeapSiteSeries heapSiteSeries(const HeapProfile& heap, const std::vector<uint32_t>& locations);

} // namespace hs
