#pragma once

#include "graphanalysis.h"
#include "graphqueries.h"
#include "reportsource.h"

#include <string>
#include <vector>

namespace hs {

// Object-graph reports as JSON (the command line's contract) and as text for people.
class GraphReport
{
public:
    struct Growth
    {
        uint32_t type = 0; // string index
        int64_t before = 0;
        int64_t after = 0;
    };

    static std::string objectsJson(const ReportSource& source, const std::vector<TypeCensus>& rows,
                                   size_t limit);
    static std::string objectsText(const ReportSource& source, const std::vector<TypeCensus>& rows,
                                   size_t limit);
    static std::string cyclesJson(const ReportSource& source, const std::vector<GraphCycle>& cycles,
                                  size_t limit);
    static std::string cyclesText(const ReportSource& source, const std::vector<GraphCycle>& cycles,
                                  size_t limit);
    static std::string pathJson(const ReportSource& source, const std::vector<PathStep>& path,
                                bool garbage);
    static std::string pathText(const ReportSource& source, const std::vector<PathStep>& path,
                                bool garbage);
    static std::string growthJson(const ReportSource& older, const ReportSource& newer,
                                  const std::vector<Growth>& rows, size_t limit);
    static std::string growthText(const ReportSource& older, const ReportSource& newer,
                                  const std::vector<Growth>& rows, size_t limit);
};

} // namespace hs
