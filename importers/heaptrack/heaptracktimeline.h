#pragma once

#include "heapprofile.h"
#include "heaptrackinfocost.h"
#include "hugepageallocator.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hs {

// Follows a heaptrack recording through time while it is read: one interval per timestamp
// line (heap in use, calls, RSS) and, per time bucket, each allocation info's events (the
// difference of its running counts between the bucket's ends), so that
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
    // Up to millions of rows, grown while the file is read: in huge pages, a fault per 2 MiB.
    using Rows = HugeVector<Row>;

    explicit HeaptrackTimeline(size_t maxIntervals = size_t(1) << 15, size_t maxRows = size_t(1)
                                                                                       << 17);

    void addInfo() { m_closed.push_back({}); }
    void allocation(uint64_t size, uint64_t heapAfter)
    {
        ++m_open.allocations;
        m_open.allocatedBytes += size;
        if (heapAfter > m_open.heapMax)
            m_open.heapMax = heapAfter;
    }
    void deallocation(uint64_t size, bool temporary)
    {
        m_open.freedBytes += size;
        m_open.temporary += temporary;
    }
    // The open bucket's stamp: an info whose bucketStamp differs is reported with touched().
    uint64_t stamp() const { return m_stamp; }
    void touched(uint32_t info) { m_touched.push_back(info); }
    void timestamp(int64_t ms, uint64_t heapNow, HeaptrackInfoCosts& infos);
    void rss(uint64_t pages);
    // An attach record: what came before is dropped, as heaptrack drops its totals.
    void reset(uint64_t heapNow);

    // Closes the last interval. Intervals carry RSS in pages; rows are ordered by bucket, info.
    void finish(HeaptrackInfoCosts& infos, std::vector<HeapInterval>& intervals,
                uint32_t& bucketWidth, Rows& rows);

private:
    // Each info's counts when it last closed a bucket: a bucket's row is the difference.
    struct Counts
    {
        uint64_t allocations = 0;
        uint64_t temporary = 0;
        uint64_t frees = 0;
    };
    void closeInterval();
    void closeBucket(HeaptrackInfoCosts& infos);
    void foldIntervals(HeaptrackInfoCosts& infos);
    void foldBuckets(HeaptrackInfoCosts& infos);
    void reopenLastBucket(HeaptrackInfoCosts& infos);

    size_t m_maxIntervals;
    size_t m_maxRows;
    std::vector<HeapInterval> m_intervals; // closed
    HeapInterval m_open;
    uint32_t m_width = 1; // intervals per bucket
    Rows m_rows;          // closed buckets
    Rows m_pairRows;      // foldBuckets' buffer, until finish()
    uint32_t m_closedBuckets = 0;
    ChunkedVector<Counts> m_closed;  // by info
    std::vector<uint32_t> m_touched; // infos with events in the open bucket
    uint64_t m_stamp = 1;
};

} // namespace hs
