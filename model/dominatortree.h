#pragma once

#include "adjacency.h"

#include <cstdint>
#include <vector>

namespace hs {

// Immediate dominators from `root` (Lengauer and Tarjan, iterative): node d dominates v when
// every path from the root to v passes through d. In a heap graph, what a node dominates is
// what would be freed with it.
struct DominatorTree
{
    static constexpr uint32_t kNone = UINT32_MAX;
    std::vector<uint32_t> idom;     // by node; kNone for the root and unreachable nodes
    std::vector<uint32_t> preorder; // reachable nodes in depth-first order, the root first
};

DominatorTree dominatorTree(const Adjacency& graph, uint32_t root);

// Each node's size plus the sizes of every node it dominates (kept nodes only; unreachable
// nodes keep their own size).
std::vector<uint64_t> retainedSizes(const DominatorTree& tree, const std::vector<uint64_t>& sizes);

} // namespace hs
