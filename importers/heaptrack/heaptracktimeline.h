#pragma once

#include "heapprofile.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hs {

// Follows a heaptrack recording through time while it is read: one interval per timestamp
// line (heap in use, calls, RSS) and, per time bucket, each allocation info's events, so that
// any time range can later be answered from the store. Both are folded pairwise when they grow
// past their budgets, so memory stays bounded however long the recording is; a bucket is
// always a whole number of intervals.
class HeaptrackTimeline
{
public:
    struct Row
    {
        uint32_t bucket = 0;
        uint32_t info = 0;
        uint64_t allocations = 0;
        uint64_t temporary = 0;
        uint64_t frees = 0;
    };

    explicit HeaptrackTimeline(size_t maxIntervals = size_t(1) << 15, size_t maxRows = size_t(1)
                                                                                       << 20);

    void addInfo();
    void allocation(uint32_t info, uint64_t size, uint64_t heapAfter)
    {
        ++m_open.allocations;
        m_open.allocatedBytes += size;
        if (heapAfter > m_open.heapMax)
            m_open.heapMax = heapAfter;
        ++bucketCounts(info).allocations;
    }
    void deallocation(uint32_t info, uint64_t size, bool temporary)
    {
        m_open.freedBytes += size;
        Counts& c = bucketCounts(info);
        ++c.frees;
        if (temporary) {
            ++m_open.temporary;
            ++c.temporary;
        }
    }
    void timestamp(int64_t ms, uint64_t heapNow);
    void rss(uint64_t pages);
    // An attach record: what came before is dropped, as heaptrack drops its totals.
    void reset(uint64_t heapNow);

    // Closes the last interval. Intervals carry RSS in pages; rows are ordered by bucket, info.
    void finish(std::vector<HeapInterval>& intervals, uint32_t& bucketWidth,
                std::vector<Row>& rows);

private:
    struct Counts
    {
        uint64_t allocations = 0;
        uint64_t temporary = 0;
        uint64_t frees = 0;
    };
    Counts& bucketCounts(uint32_t info)
    {
        if (!m_touched[info]) {
            m_touched[info] = true;
            m_touchedList.push_back(info);
        }
        return m_counts[info];
    }
    void closeInterval();
    void closeBucket();
    void foldIntervals();
    void foldBuckets();
    void reopenLastBucket();

    size_t m_maxIntervals;
    size_t m_maxRows;
    std::vector<HeapInterval> m_intervals; // closed
    HeapInterval m_open;
    bool m_openHasTime = false;
    uint32_t m_width = 1;    // intervals per bucket
    std::vector<Row> m_rows; // closed buckets
    uint32_t m_closedBuckets = 0;
    std::vector<Counts> m_counts; // the open bucket, by info
    std::vector<bool> m_touched;
    std::vector<uint32_t> m_touchedList;
};

} // namespace hs
