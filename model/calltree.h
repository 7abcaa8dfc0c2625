#pragma once

#include "heapqueries.h"
#include "hugepageallocator.h"
#include "profiledata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs {

// What a cost column counts. A Python snapshot has Size and Count; a heaptrack profile the
// other five (over a time window: Allocations, Temporary, Allocated and Delta).
enum class CostKind : uint8_t
{
    Size,
    Count,
    Allocations,
    Temporary,
    Peak,
    Leaked,
    Allocated,
    Delta, // heaptrack's memory consumption delta over a time window (may be negative)
};
const char* costName(CostKind kind);  // "size", "allocations", ... (the command line's names)
const char* costTitle(CostKind kind); // "Size", "Peak", ... for people
bool costIsBytes(CostKind kind);

// A snapshot's call stacks as a tree with every cost column: top-down (callers first, what a
// flame graph draws) or bottom-up (the allocating frame first, then its callers). Nodes are
// flat arrays; node 0 is the root (everything), parents come before their children, and a
// node's children are children[childStart[n] .. childStart[n + 1]), in node order. Frames
// merge by
// function (and module) where the source names functions, by file and line otherwise.
template <typename T>
using TreeArray = HugeVector<T>;

struct CallTree
{
    TreeArray<uint32_t> parent; // kNoIndex for the root
    TreeArray<uint32_t> frame;  // a representative frame; kNoIndex for the root
    TreeArray<uint16_t> depth;  // 0 for the root
    TreeArray<uint32_t> childStart;
    TreeArray<uint32_t> children;
    std::vector<CostKind> kinds;           // the cost columns, in display order
    std::vector<TreeArray<int64_t>> total; // by column, then node: inclusive cost
    bool bottomUp = false;

    size_t nodeCount() const { return parent.size(); }
    uint32_t childCount(uint32_t n) const { return childStart[n + 1] - childStart[n]; }
    uint32_t child(uint32_t n, uint32_t k) const { return children[childStart[n] + k]; }
    // n's place among its parent's children (0 for the root): a binary search, since they are
    // in node order, so that no array of rows is kept beside the tree.
    uint32_t row(uint32_t n) const;
    int column(CostKind kind) const; // -1 if the tree has no such column
    // The cost of the node itself: its total less its children's (top-down); in a bottom-up
    // tree, an allocating frame's total and nothing deeper. Not stored: it would double the
    // tree's memory for a figure read a row at a time.
    int64_t selfCost(size_t column, uint32_t node) const;
};

struct CallTreeOptions
{
    bool bottomUp = false;
    bool collapseRecursion = false; // a frame calling itself (directly) stays one node
    // heaptrack only: restrict to a time window (heaptrack's "filter in").
    bool windowed = false;
    int64_t fromMs = 0, toMs = 0;
};

// The cost columns a snapshot has.
std::vector<CostKind> costKinds(const ProfileData& data, uint32_t snapshot, bool windowed);

// The merged top-down nodes of the stacks (stackmerge.h), checked against them: what a
// top-down call tree is grown from. Computed per build unless a caller that builds many trees
// of one ProfileData computes it once and passes it in.
struct MergedTree
{
    std::vector<uint32_t> recomputed; // the stacks' nodes when the stored ones do not fit
    std::vector<uint32_t> parent;     // by merged node
    std::vector<uint32_t> frame;      // by merged node: its first stack's frame
    const std::vector<uint32_t>& ofStack(const ProfileData& data) const
    {
        return recomputed.empty() ? data.mergedStacks : recomputed;
    }
};
MergedTree mergedTree(const ProfileData& data);

CallTree buildCallTree(const ProfileData& data, uint32_t snapshot, const CallTreeOptions& options,
                       const MergedTree* merged = nullptr);

// Frames with the same key are one node of a call tree: the function and module where there
// is a function name, else the frame itself (a Python file and line).
uint64_t frameMergeKey(const ProfileData& data, uint32_t frame);

// What people read for a node: "function" (or "file:line" without one), and its location.
std::string frameLabel(const ProfileData& data, uint32_t frame);
std::string frameLocation(const ProfileData& data, uint32_t frame); // "file:line", or ""
std::string frameModule(const ProfileData& data, uint32_t frame);

} // namespace hs
