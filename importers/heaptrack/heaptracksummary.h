#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hs {

// The whole-recording figures of a heaptrack file, with heaptrack_print 1.4's definitions.
struct HeaptrackSummary
{
    uint32_t heaptrackVersion = 0; // packed major << 16 | minor << 8 | patch
    int fileFormat = 0;
    std::string debuggee;
    uint64_t pageSize = 0;
    uint64_t physicalPages = 0;
    bool attached = false;
    std::vector<std::string> suppressions; // S lines embedded by the debuggee

    uint64_t allocations = 0;   // + lines
    uint64_t deallocations = 0; // - lines
    uint64_t temporary = 0;     // heaptrack_print's count, quirk included
    uint64_t allocatedBytes = 0;
    uint64_t peakBytes = 0;
    uint64_t peakTimeMs = 0;
    uint64_t leakedBytes = 0;     // before suppressions
    uint64_t suppressedBytes = 0; // of those, leaked by suppressed sites
    uint64_t lastTimestampMs = 0;
    uint64_t peakRssPages = 0;

    uint64_t lines = 0;
    uint64_t stringLines = 0;
    uint64_t ipLines = 0;
    uint64_t traceLines = 0;
    uint64_t allocationInfoLines = 0;
    uint64_t timestampLines = 0;
    uint64_t rssLines = 0;
    uint64_t unknownLines = 0;         // a record type heaptrack does not know
    uint64_t unparsableEventLines = 0; // + or - lines that could not be read (skipped)
    uint64_t decompressedBytes = 0;

    bool complete = true;
    std::string truncation; // where the data stopped, for an incomplete recording

    uint64_t runtimeMs() const { return lastTimestampMs + 1; }
    uint64_t peakRssBytes() const { return peakRssPages * pageSize; }
};

} // namespace hs
