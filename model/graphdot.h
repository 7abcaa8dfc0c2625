#pragma once

#include "objectgraph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs {

// Graphviz DOT text for some nodes of an object graph and the references among them: one node
// per object (type and label), one edge per reference, named. Pure: the same input gives the
// same text, so it is tested as text and laid out elsewhere.
std::string graphDot(const ObjectGraph& graph, const std::vector<std::string>& strings,
                     const std::vector<uint32_t>& nodes, const std::string& title);

// The objects within `depth` references of `node`, following referrers (what holds it), the
// node first.
std::vector<uint32_t> referrerNeighbourhood(const ObjectGraph& graph, uint32_t node,
                                            uint32_t depth);

} // namespace hs
