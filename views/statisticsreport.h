#pragma once

#include "profiledata.h"
#include "reportsource.h"
#include "statistics.h"

#include <string>
#include <vector>

namespace hs {

// Renders statistics and diffs as text (Python's tracemalloc wording) or as the JSON contract
// documented in the README. `limit` 0 means every row.
class StatisticsReport
{
public:
    struct Request
    {
        GroupBy by = GroupBy::Lineno;
        bool cumulative = false;
        size_t limit = 10;
    };

    static std::string json(const ReportSource& source, const Request& request,
                            const std::vector<StatRow>& rows);
    static std::string text(const ReportSource& source, const Request& request,
                            const std::vector<StatRow>& rows);
    static std::string diffJson(const ReportSource& older, const ReportSource& newer,
                                const Request& request, const std::vector<StatRow>& rows);
    static std::string diffText(const ReportSource& older, const ReportSource& newer,
                                const Request& request, const std::vector<StatRow>& rows);

    // tracemalloc's _format_size(): "12.3 KiB", "+1.5 MiB", "987 B".
    static std::string formatSize(double size, bool sign);
};

} // namespace hs
