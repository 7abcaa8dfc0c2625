#pragma once

#include "profiledata.h"

#include <string>

namespace hs {

class JsonWriter;

// Where a snapshot came from, for the "source" part of every JSON report.
struct ReportSource
{
    std::string path;
    std::string format; // "tracemalloc", "heaptrack", "heapscope"
    const ProfileData* data = nullptr;
    uint32_t snapshot = 0;
};

void writeReportSource(JsonWriter& w, const ReportSource& s);

} // namespace hs
