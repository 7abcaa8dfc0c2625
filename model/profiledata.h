#pragma once

#include "graphanalysis.h"
#include "heapprofile.h"
#include "objectgraph.h"
#include "recordertimeline.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hs {

inline constexpr uint32_t kNoIndex = UINT32_MAX;

// One code location. Strings are indices into ProfileData::strings; kNoIndex when unknown.
struct Frame
{
    uint32_t function = kNoIndex;
    uint32_t file = kNoIndex;
    int64_t line = 0;
    uint32_t module = kNoIndex;
};

// A node of the call-stack trie: the root is the outermost (oldest) frame.
struct StackNode
{
    uint32_t parent = kNoIndex;
    uint32_t frame = 0;
};

// Cost of all allocations whose innermost stack node is `stack`, in one allocation domain.
struct StackCost
{
    uint32_t stack = 0;
    uint32_t domain = 0;
    uint64_t size = 0;
    uint64_t count = 0;
    uint64_t truncated = 0; // allocations whose real stack was deeper than what was recorded
};

// How Python's Traceback compares two tracebacks: 3.7+ oldest frame first, 3.6 most recent first.
enum class TracebackOrder : int
{
    OldestFirst = 0,
    MostRecentFirst = 1
};

struct RecordingInfo
{
    std::string kind; // "tracemalloc", ...
    std::string sourceName;
    uint64_t sourceSize = 0;
    std::string sourceSha256;
    std::string commandLine;
    std::string importedAt; // ISO 8601, UTC
    std::vector<std::string> warnings;
    // Figures of the whole recording as the source tool defines them (heaptrack: runtime_ms,
    // peak_rss_bytes, ...), by name.
    std::vector<std::pair<std::string, std::string>> properties;
    RecorderTimeline timeline; // heapscope's recorder: samples and checkpoints

    // A property as a non-negative integer; 0 when it is missing.
    uint64_t number(std::string_view key) const
    {
        for (const auto& [k, v] : properties)
            if (k == key)
                return std::strtoull(v.c_str(), nullptr, 10);
        return 0;
    }
};

struct SnapshotInfo
{
    uint32_t recording = 0;
    std::string label;
    double timeMs = -1; // < 0: unknown
    int64_t tracebackLimit = 0;
    uint64_t totalSize = 0;
    uint64_t totalCount = 0;
    uint64_t truncatedCount = 0;
    TracebackOrder order = TracebackOrder::OldestFirst;
    std::string python; // writer generation, e.g. "3.9+"
    int protocol = -1;
};

struct SnapshotData
{
    SnapshotInfo info;
    std::vector<StackCost> costs; // Python: live blocks per stack and domain
    HeapProfile heap;             // heaptrack: native heap costs over the recording
    ObjectGraph graph;            // recorder checkpoints: the gc object graph
    GraphAnalysis analysis;       // of the graph: computed once, stored with it
};

// The in-memory form of a .heapscope file: what importers build and what the store reads back.
struct ProfileData
{
    std::vector<std::string> strings; // raw bytes (UTF-8, lone surrogates kept as surrogatepass)
    std::vector<Frame> frames;
    std::vector<StackNode> stacks;
    // By stack: its node in the merged top-down call tree (stackmerge.h); empty when not
    // computed (call trees then merge the stacks themselves).
    std::vector<uint32_t> mergedStacks;
    std::vector<RecordingInfo> recordings;
    std::vector<SnapshotData> snapshots; // in series order
};

} // namespace hs
