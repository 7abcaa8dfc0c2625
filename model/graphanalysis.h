#pragma once

#include "objectgraph.h"

#include <cstdint>
#include <vector>

namespace hs {

// What keeps the objects of a graph alive, computed once per graph and stored beside it.
// Roots are the recorded ones (modules, thread frames) and every object nothing in the graph
// refers to (held from C or an interpreter frame). Garbage is what the roots do not reach:
// what gc.collect() would free. For dominators, each garbage group without referrers
// (a cycle) counts as a root of its own, so garbage has retained sizes too.
struct GraphAnalysis
{
    std::vector<uint32_t> component; // strongly connected component by node
    uint32_t componentCount = 0;
    std::vector<uint8_t> garbage;   // by node
    std::vector<uint32_t> idom;     // immediate dominator by node; kNoIndex: a root
    std::vector<uint64_t> retained; // by node: its size and all it dominates
    // By component: what the component as a whole keeps alive (dominators of the graph of
    // components), so a cycle's figure counts what only the cycle as a whole holds.
    std::vector<uint64_t> componentRetained;

    bool empty() const { return component.empty(); }
};

GraphAnalysis analyseGraph(const ObjectGraph& graph);

// Nodes that are roots: recorded roots and nodes without referrers.
std::vector<uint8_t> graphRoots(const ObjectGraph& graph);

} // namespace hs
