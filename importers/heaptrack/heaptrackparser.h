#pragma once

#include "heaptracksummary.h"

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
    // One line without its newline.
    void feed(std::string_view line);
    HeaptrackSummary finish();

    // Reads a whole recording (any supported compression) and returns its summary. Throws
    // hs::Error for input that is not a heaptrack recording; a cut one is marked incomplete.
    static HeaptrackSummary summarise(std::string_view fileBytes, const std::string& fileName);

private:
    void onAllocation(std::string_view fields);
    void onDeallocation(std::string_view fields);
    void resetTotals();

    HeaptrackSummary m_summary;
    std::vector<uint64_t> m_sizes; // size of each allocation info, by index
    uint64_t m_current = 0;
    uint64_t m_now = 0;
    uint64_t m_lastInfo = 0; // heaptrack's "last allocation" marker; 0 is also a valid index
    bool m_sawTrailer = false;
};

} // namespace hs
