#pragma once

#include "graphanalysis.h"
#include "heapcolumns.h"
#include "objectgraph.h"

#include <string>

namespace hs {

// An object graph and its analysis as named columns of 64-bit values (node.*, edge.*, root.*,
// analysis.*), the form the store keeps them in, one column at a time.
void visitGraphColumns(const ObjectGraph& graph, const GraphAnalysis& analysis,
                       const HeapColumnVisitor& visit);
// Rebuilds both and checks every index; `damage` names what is wrong, or stays empty. An
// analysis that is missing or does not fit the graph comes back empty (to be recomputed).
void graphFromColumns(const HeapColumns& columns, size_t strings, size_t stacks, ObjectGraph& graph,
                      GraphAnalysis& analysis, std::string& damage);

} // namespace hs
