#pragma once

#include "calltree.h"

#include <cstdint>
#include <vector>

namespace hs {

// Where each visible frame of a flame graph goes, as a pure function of the call tree, the
// cost column and the view: an icicle (the root on top, callees below), the zoomed frame
// spanning the whole width with its ancestors above it, children left to right by cost.
// Frames narrower than `minWidth` are not laid out, nor anything below them; a run of such
// siblings becomes one merged box, so the graph keeps its shape at any size and the work is
// bounded by what can be seen, not by the tree's size.
struct FlameBox
{
    static constexpr uint32_t kMerged = UINT32_MAX; // several small frames in one box
    uint32_t node = kMerged;
    uint32_t row = 0;
    double x = 0, width = 0;
    uint32_t mergedCount = 0; // frames in a merged box
};

struct FlameLayoutOptions
{
    int column = 0;        // cost column of the tree
    uint32_t zoomNode = 0; // the frame that spans the width
    double width = 1000;   // in pixels (or any unit)
    double minWidth = 1;   // narrower frames are not laid out
    double threshold = 0;  // frames below this share of the zoomed frame's cost are hidden
};

struct FlameLayout
{
    std::vector<FlameBox> boxes; // by row, then left to right
    uint32_t rows = 0;           // rows used
    int64_t zoomTotal = 0;       // the cost the width stands for
};

// Children of every node sorted by the column's cost, largest first (ties: by node, so the
// order is stable); laid out in this order. Same shape as CallTree::children.
std::vector<uint32_t> flameOrder(const CallTree& tree, int column);

FlameLayout layoutFlame(const CallTree& tree, const std::vector<uint32_t>& order,
                        const FlameLayoutOptions& options);

// The index of the box at (x, row), or SIZE_MAX where there is none.
size_t flameBoxAt(const FlameLayout& layout, double x, uint32_t row);

} // namespace hs
