#pragma once

#include "profilebuilder.h"
#include "progress.h"

#include <string>
#include <string_view>

namespace hs {

// Imports an interpreted heaptrack recording as one recording with one snapshot: heaptrack's
// backtrace tree becomes paths in the stack trie (module, function, file and line per frame,
// inlined frames as frames of their own, operator new dropped as heaptrack does), and each
// allocation site's costs go to its innermost stack. The whole-recording figures are kept as
// recording properties.
class HeaptrackImporter
{
public:
    struct Options
    {
        std::string suppressions; // text of a user suppression file (leak:PATTERN lines)
        // Budgets of the timeline: past them, neighbouring intervals and buckets are merged.
        size_t timelineIntervals = size_t(1) << 15;
        size_t timelineBucketRows = size_t(1) << 17;
        // The data is a read-only file mapping: its pages may be dropped once decompressed.
        bool releaseInput = false;
        Progress* progress = nullptr; // told how far the reading is; may throw Cancelled
    };

    static bool sniff(std::string_view head);
    static uint32_t import(std::string_view data, const std::string& fileName,
                           ProfileBuilder& builder, const Options& options);
};

} // namespace hs
