#pragma once

#include "graphanalysis.h"
#include "objectgraph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs {

struct ProfileData;

// A reference cycle: a strongly connected component of more than one object, or one object
// that refers to itself.
struct GraphCycle
{
    uint32_t component = 0;
    std::vector<uint32_t> members; // node indices, by address
    uint64_t size = 0;             // shallow sizes of the members
    uint64_t retained = 0;         // what the cycle as a whole keeps alive
    bool garbage = false;
    uint32_t representative = 0; // the member with the lowest address
};

// Every cycle, largest retained size first (ties: more members, then lower address).
std::vector<GraphCycle> graphCycles(const ObjectGraph& graph, const GraphAnalysis& analysis);

// Objects per type, like objgraph's most_common_types. `retained` counts each object once:
// an object dominated by another object of its type is in that one's figure already.
struct TypeCensus
{
    uint32_t type = 0;
    uint64_t count = 0;
    uint64_t size = 0;
    uint64_t retained = 0;
};
enum class CensusSort
{
    Count,
    Size,
    Retained
};
// `trackedOnly`: the objects gc.get_objects() returns, as objgraph counts them.
std::vector<TypeCensus> typeCensus(const ObjectGraph& graph, const GraphAnalysis& analysis,
                                   bool trackedOnly, CensusSort sort,
                                   const std::vector<std::string>& strings);

// The shortest chain of references from a root to `node`, the root first; each step names
// the edge that leads to the next node. No root reaches garbage: for a node of a garbage cycle
// nothing else refers to, the path is the shortest way round that cycle (the node first and
// last); other garbage is reached from such a cycle.
struct PathStep
{
    uint32_t node = 0;
    uint32_t edgeName = UINT32_MAX; // the reference to the next node; none for the last
};
std::vector<PathStep> retainingPath(const ObjectGraph& graph, const GraphAnalysis& analysis,
                                    uint32_t node);

// The graph folded by type, for graphs too large to draw: nodes are types with their counts
// and sizes, an edge counts the references from objects of one type to objects of another.
struct TypeGraph
{
    struct Node
    {
        uint32_t type = 0;
        uint64_t count = 0;
        uint64_t size = 0;
    };
    struct Edge
    {
        uint32_t from = 0; // indices into nodes
        uint32_t to = 0;
        uint64_t count = 0;
    };
    std::vector<Node> nodes; // by type string index
    std::vector<Edge> edges; // by (from, to)
};
TypeGraph typeGraph(const ObjectGraph& graph);

// The node with this address, or UINT32_MAX.
uint32_t nodeByAddress(const ObjectGraph& graph, uint64_t address);

} // namespace hs
