#include "heaptracktimeline.h"

#include <algorithm>

namespace hs {

namespace {

void absorb(HeapInterval& into, const HeapInterval& later)
{
    into.allocations += later.allocations;
    into.temporary += later.temporary;
    into.allocatedBytes += later.allocatedBytes;
    into.freedBytes += later.freedBytes;
    into.heapMax = std::max(into.heapMax, later.heapMax);
    into.rssBytes = std::max(into.rssBytes, later.rssBytes);
}

} // namespace

HeaptrackTimeline::HeaptrackTimeline(size_t maxIntervals, size_t maxRows)
    : m_maxIntervals(std::max<size_t>(maxIntervals, 2)), m_maxRows(maxRows)
{
    // Room for a full budget and the bucket that overflows it, so that the rows never grow by
    // copying (untouched room costs no memory); intervals likewise.
    m_rows.reserve(std::min<size_t>(maxRows + maxRows / 2, size_t(1) << 22));
    m_intervals.reserve(std::min<size_t>(m_maxIntervals + 2, size_t(1) << 16));
}

void HeaptrackTimeline::timestamp(int64_t ms, uint64_t heapNow, HeaptrackInfoCosts& infos)
{
    closeInterval();
    m_open = HeapInterval{};
    m_open.timeMs = ms;
    m_open.heapStart = m_open.heapMax = heapNow;
    if (m_intervals.size() % m_width == 0)
        closeBucket(infos);
    if (m_intervals.size() > m_maxIntervals)
        foldIntervals(infos);
}

void HeaptrackTimeline::rss(uint64_t pages)
{
    m_open.rssBytes = std::max(m_open.rssBytes, pages);
}

void HeaptrackTimeline::reset(uint64_t heapNow)
{
    // The parser has zeroed every info's counts; what was counted before starts over.
    m_closed.fill(Counts{});
    m_touched.clear();
    ++m_stamp;
    m_intervals.clear();
    m_rows.clear();
    m_closedBuckets = 0;
    m_width = 1;
    const int64_t now = m_open.timeMs;
    m_open = HeapInterval{};
    m_open.timeMs = now;
    m_open.heapStart = m_open.heapMax = heapNow;
}

void HeaptrackTimeline::closeInterval()
{
    m_intervals.push_back(m_open);
}

void HeaptrackTimeline::closeBucket(HeaptrackInfoCosts& infos)
{
    std::sort(m_touched.begin(), m_touched.end());
    for (const uint32_t info : m_touched) {
        const HeaptrackInfoCost& now = infos[info];
        Counts& before = m_closed[info];
        const Row row{m_closedBuckets, info, now.allocations - before.allocations,
                      now.temporary - before.temporary, now.frees - before.frees};
        before = {now.allocations, now.temporary, now.frees};
        if (row.allocations || row.temporary || row.frees)
            m_rows.push_back(row);
    }
    m_touched.clear();
    ++m_stamp;
    ++m_closedBuckets;
    // Folding halves the number of buckets; one bucket holding more than the budget is kept.
    if (m_rows.size() > m_maxRows && m_closedBuckets >= 2)
        foldBuckets(infos);
}

void HeaptrackTimeline::foldIntervals(HeaptrackInfoCosts& infos)
{
    const size_t n = m_intervals.size();
    for (size_t i = 0; i + 1 < n; i += 2) {
        HeapInterval merged = m_intervals[i];
        absorb(merged, m_intervals[i + 1]);
        m_intervals[i / 2] = merged;
    }
    if (n % 2) { // the last one joins the open interval, which follows it
        HeapInterval last = m_intervals[n - 1];
        absorb(last, m_open);
        m_open = last;
    }
    m_intervals.resize(n / 2);
    if (m_width >= 2) {
        m_width /= 2; // buckets keep their boundaries, now counted in wider intervals
        return;
    }
    // One interval per bucket: the buckets fold along with the intervals.
    const uint32_t width = m_width;
    foldBuckets(infos);
    m_width = width;
}

void HeaptrackTimeline::reopenLastBucket(HeaptrackInfoCosts& infos)
{
    // Its events count again as the open bucket's: the counts it closed at are taken back.
    const uint32_t last = m_closedBuckets - 1;
    size_t first = m_rows.size();
    while (first > 0 && m_rows[first - 1].bucket == last)
        --first;
    for (size_t i = first; i < m_rows.size(); ++i) {
        const Row& r = m_rows[i];
        Counts& before = m_closed[r.info];
        before.allocations -= r.allocations;
        before.temporary -= r.temporary;
        before.frees -= r.frees;
        if (infos[r.info].bucketStamp != m_stamp) {
            infos[r.info].bucketStamp = m_stamp;
            m_touched.push_back(r.info);
        }
    }
    m_rows.resize(first);
    --m_closedBuckets;
}

void HeaptrackTimeline::foldBuckets(HeaptrackInfoCosts& infos)
{
    if (m_closedBuckets % 2)
        reopenLastBucket(infos); // its partner is the open bucket
    // In place: a merged pair never has more rows than it had, so it is built aside (one
    // pair's worth, in a buffer kept from fold to fold: growing a fresh one each time was a
    // fifth of the parser's time in page faults) and copied down over rows already read.
    Rows& pairRows = m_pairRows;
    size_t i = 0, out = 0;
    while (i < m_rows.size()) {
        // Rows of buckets 2k and 2k+1, each sorted by info: merged into bucket k.
        const uint32_t pair = m_rows[i].bucket / 2;
        size_t mid = i;
        while (mid < m_rows.size() && m_rows[mid].bucket == pair * 2)
            ++mid;
        size_t end = mid;
        while (end < m_rows.size() && m_rows[end].bucket == pair * 2 + 1)
            ++end;
        pairRows.clear();
        size_t a = i, b = mid;
        while (a < mid || b < end) {
            Row r;
            if (b == end || (a < mid && m_rows[a].info < m_rows[b].info)) {
                r = m_rows[a++];
            } else if (a == mid || m_rows[b].info < m_rows[a].info) {
                r = m_rows[b++];
            } else {
                r = m_rows[a++];
                r.allocations += m_rows[b].allocations;
                r.temporary += m_rows[b].temporary;
                r.frees += m_rows[b++].frees;
            }
            r.bucket = pair;
            pairRows.push_back(r);
        }
        std::copy(pairRows.begin(), pairRows.end(), m_rows.begin() + static_cast<ptrdiff_t>(out));
        out += pairRows.size();
        i = end;
    }
    m_rows.resize(out);
    m_closedBuckets /= 2;
    m_width *= 2;
}

void HeaptrackTimeline::finish(HeaptrackInfoCosts& infos, std::vector<HeapInterval>& intervals,
                               uint32_t& bucketWidth, Rows& rows)
{
    closeInterval();
    const size_t maxRows = m_maxRows;
    m_maxRows = SIZE_MAX; // the last bucket is closed as it is
    closeBucket(infos);
    m_maxRows = maxRows;
    intervals = std::move(m_intervals);
    bucketWidth = m_width;
    rows = std::move(m_rows);
    m_intervals.clear();
    m_rows.clear();
    m_closed.clear(); // no longer needed: given back before the mapping
    std::vector<uint32_t>().swap(m_touched);
    Rows().swap(m_pairRows);
}

} // namespace hs
