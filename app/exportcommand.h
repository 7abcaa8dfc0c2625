#pragma once

#include <string>
#include <vector>

namespace hs {

// `heapscope export INPUT --view flamegraph|top-down|bottom-up|top-sites ... -o FILE`: the
// views the window shows, rendered without a display (the offscreen platform) for reports
// and CI. The flame graph goes to SVG, PNG or PDF by the output's suffix, tables to CSV.
class ExportCommand
{
public:
    static int run(const std::vector<std::string>& args); // args without "export"
};

} // namespace hs
