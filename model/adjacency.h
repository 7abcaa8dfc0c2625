#pragma once

#include "hugepageallocator.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hs {

// A directed graph in compressed rows: the successors of node v are
// target[start[v]] .. target[start[v + 1] - 1]. Flat arrays, no object per node, so that the
// algorithms run on millions of nodes in a few bytes each.
struct Adjacency
{
    // Heap graphs have millions of nodes: huge pages spare a page fault per 4 KiB as they grow.
    HugeVector<uint64_t> start{0}; // node count + 1 entries
    HugeVector<uint32_t> target;

    size_t nodeCount() const { return start.size() - 1; }
    size_t edgeCount() const { return target.size(); }
    uint64_t begin(uint32_t v) const { return start[v]; }
    uint64_t end(uint32_t v) const { return start[v + 1]; }

    // The same graph with every edge reversed (predecessors as successors).
    Adjacency reversed() const;
    // Built from (from, to) pairs in any order.
    static Adjacency fromEdges(size_t nodes,
                               const std::vector<std::pair<uint32_t, uint32_t>>& edges);
};

} // namespace hs
