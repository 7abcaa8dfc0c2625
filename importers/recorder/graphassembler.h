#pragma once

#include "flathashmap.h"
#include "hugepageallocator.h"
#include "objectgraph.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace hs {

// Builds an object graph as a recorder file lists it: nodes straight into the graph's arrays
// (the first node of an address wins; a later one is skipped with its references), references
// by address until the graph is whole, then resolved in place.
class GraphAssembler
{
public:
    // False for an address seen before: the caller skips the node's references.
    bool addNode(uint64_t address, uint32_t type, uint64_t size, uint32_t label, uint8_t flags,
                 uint32_t traceback);
    void addReference(uint64_t targetAddress, uint32_t name)
    {
        m_targets.push_back(targetAddress);
        m_graph.edgeName.push_back(name);
    }
    void addRoot(uint64_t address, const ObjectGraph::Root& root)
    {
        m_roots.emplace_back(address, root);
    }

    // The graph, with references to objects it does not hold dropped (counted in `dangling`).
    ObjectGraph finish(uint64_t& dangling);

private:
    ObjectGraph m_graph;
    FlatHashMap m_index; // address -> node
    HugeVector<uint64_t> m_targets;
    std::vector<std::pair<uint64_t, ObjectGraph::Root>> m_roots;
};

} // namespace hs
