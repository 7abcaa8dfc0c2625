#pragma once

#include "reportsource.h"

#include <cstdint>
#include <optional>
#include <string>

namespace hs {

// The heaptrack side of `heapscope stats`: heaptrack_print's summary and its top lists (merged
// by location, in its order), for the whole recording or a time window.
class HeapReport
{
public:
    struct Request
    {
        size_t limit = 10;
        std::optional<std::pair<int64_t, int64_t>> rangeMs; // heaptrack's "filter in"
    };

    static std::string json(const ReportSource& source, const Request& request);
    static std::string text(const ReportSource& source, const Request& request);

    // heaptrack_print's sizes: 1000-based, two decimals, the unit's first letter ("37.96M").
    static std::string formatBytes(int64_t bytes);
};

} // namespace hs
