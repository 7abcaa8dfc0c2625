#pragma once

#include "profilebuilder.h"
#include "progress.h"

#include <optional>
#include <string>
#include <string_view>

namespace hs {

// Reads a tracemalloc Snapshot.dump() file (any CPython 3.6-3.13, pickle protocols 0-5) through
// the restricted pickle reader and adds it to a ProfileBuilder as one recording with one snapshot:
// each distinct traceback becomes a path in the stack trie, traces are summed per stack and domain.
class TracemallocImporter
{
public:
    struct Options
    {
        // Python's Traceback order for ties; by default inferred from the file (3.6: most recent
        // first). Protocol-4 dumps cannot tell 3.6 from 3.7, see inferOrder().
        std::optional<TracebackOrder> order;
        Progress* progress = nullptr; // told how far the reading is; may throw Cancelled
    };

    // True when the bytes start like a pickle that could hold a snapshot.
    static bool sniff(std::string_view head);

    // Throws hs::Error naming the file, the byte offset and the reason on any malformed or
    // hostile input. Returns the snapshot index in the builder.
    static uint32_t import(std::string_view data, const std::string& fileName,
                           ProfileBuilder& builder, const Options& options);
};

} // namespace hs
