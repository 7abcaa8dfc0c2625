#pragma once

#include "profilebuilder.h"
#include "progress.h"

#include <string>
#include <string_view>

namespace hs {

// Imports a file written by heapscope's Python recorder (.hsr, resources/recorder/FORMAT.md):
// its timeline, tracemalloc snapshots (as the tracemalloc importer's per-stack costs) and gc
// object graphs. A cut file keeps every complete record and is marked with a warning.
class RecorderImporter
{
public:
    static bool sniff(std::string_view head);
    // Returns the recording's index. Throws hs::Error for input that is not a .hsr file.
    static uint32_t import(std::string_view data, const std::string& fileName,
                           ProfileBuilder& builder, Progress* progress = nullptr);
};

} // namespace hs
