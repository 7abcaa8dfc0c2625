#pragma once

#include "adjacency.h"

#include <cstdint>
#include <span>
#include <vector>

namespace hs {

// Immediate dominators from `root` (Lengauer and Tarjan, iterative): node d dominates v when
// every path from the root to v passes through d. In a heap graph, what a node dominates is
// what would be freed with it.
struct DominatorTree
{
    static constexpr uint32_t kNone = UINT32_MAX;
    std::vector<uint32_t> idom;     // by node; kNone for the root and unreachable nodes
    std::vector<uint32_t> preorder; // reachable nodes in depth-first order, roots first
};

DominatorTree dominatorTree(const Adjacency& graph, uint32_t root);
// From several roots at once (a virtual root above them): nodes that only the virtual root
// dominates, the roots among them, get kNone.
DominatorTree dominatorTree(const Adjacency& graph, const std::vector<uint32_t>& roots);

// Each node's size plus the sizes of every node it dominates (kept nodes only; unreachable
// nodes keep their own size).
std::vector<uint64_t> retainedSizes(const DominatorTree& tree, std::span<const uint64_t> sizes);

} // namespace hs
