#pragma once

#include "heaptrackinfocost.h"
#include "heaptracksummary.h"
#include "heaptracksuppressions.h"
#include "heaptracksymbols.h"
#include "heaptracktimeline.h"
#include "progress.h"

#include <string>
#include <string_view>
#include <vector>

namespace hs {

// Reads the lines of an interpreted heaptrack file (format 1-3) and keeps heaptrack's running
// figures: calls, temporary allocations, peak and its time, leaked, RSS. Memory stays bounded
// by the number of allocation infos, never by the number of events.
class HeaptrackParser
{
public:
    using InfoCost = HeaptrackInfoCost;

    // The budgets bound the timeline kept in memory (see HeaptrackTimeline).
    explicit HeaptrackParser(size_t maxIntervals = size_t(1) << 15, size_t maxBucketRows = size_t(1)
                                                                                           << 17)
        : m_timeline(maxIntervals, maxBucketRows)
    {}

    // One line without its newline.
    void feed(std::string_view line);
    // Whole lines as HeaptrackReader tokenised them: events by info, other lines by offset.
    void feedUnit(std::string_view text, const uint32_t* tokens, size_t count);
    HeaptrackSummary finish();

    const HeaptrackInfoCosts& infoCosts() const { return m_infos; }
    uint32_t infoTrace(size_t info) const { return m_infoTraces[info]; }
    // Frees the running costs once they have been copied out (see HeaptrackImporter).
    void releaseInfoCosts() { m_infos.clear(); }
    // Valid after finish(): a leak suppression matches the info's backtrace.
    bool infoSuppressed(size_t info) const { return m_infoSuppressed[info]; }
    const HeaptrackSymbols& symbols() const { return m_symbols; }
    HeaptrackSymbols& mutableSymbols() { return m_symbols; }
    void releaseTraces() { m_symbols.releaseTraces(); }
    // Valid after finish(): the timeline (RSS in pages) and per-bucket events by info.
    const std::vector<HeapInterval>& intervals() const { return m_intervals; }
    std::vector<HeapInterval> takeIntervals() { return std::move(m_intervals); }
    uint32_t bucketWidth() const { return m_bucketWidth; }
    const HeaptrackTimeline::Rows& bucketRows() const { return m_bucketRows; }
    void releaseBucketRows() { HeaptrackTimeline::Rows().swap(m_bucketRows); }
    // Adds lines of a user suppression file (leak:PATTERN).
    void addSuppressions(std::string_view text);

    // Reads a whole recording (any supported compression) and returns its summary. Throws
    // hs::Error for input that is not a heaptrack recording; a cut one is marked incomplete.
    static HeaptrackSummary summarise(std::string_view fileBytes, const std::string& fileName);
    // The same, feeding `parser` (which keeps the symbols and per-site costs).
    static HeaptrackSummary read(std::string_view fileBytes, const std::string& fileName,
                                 HeaptrackParser& parser, bool releaseInput = false,
                                 Progress* progress = nullptr);

private:
    void onAllocation(uint64_t info);
    void onDeallocation(uint64_t info);
    void resetTotals();
    void touch(InfoCost& cost, uint64_t info);
    void commitPeak();

    HeaptrackSummary m_summary;
    HeaptrackSymbols m_symbols;
    HeaptrackSuppressions m_suppressions;
    HeaptrackInfoCosts m_infos; // by allocation-info index
    std::vector<uint32_t> m_infoTraces;
    std::vector<bool> m_infoSuppressed;
    std::vector<uint32_t> m_dirtyList; // infos whose live count changed since the last peak
    uint64_t m_peakEpoch = 1;
    uint64_t m_current = 0;
    uint64_t m_now = 0;
    uint64_t m_lastInfo = 0; // heaptrack's "last allocation" marker; 0 is also a valid index
    bool m_sawTrailer = false;
    HeaptrackTimeline m_timeline;
    std::vector<HeapInterval> m_intervals;
    uint32_t m_bucketWidth = 1;
    HeaptrackTimeline::Rows m_bucketRows;
};

} // namespace hs
