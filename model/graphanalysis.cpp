#include "graphanalysis.h"

#include "dominatortree.h"
#include "profiledata.h"
#include "strongcomponents.h"

#include <algorithm>

namespace hs {

std::vector<uint8_t> graphRoots(const ObjectGraph& graph)
{
    const size_t n = graph.nodeCount();
    std::vector<uint8_t> root(n, 1);
    for (const uint32_t t : graph.edges.target)
        root[t] = 0;
    for (const auto& r : graph.roots)
        if (r.node < n)
            root[r.node] = 1;
    return root;
}

namespace {

// `graph` with one more node (the last) that points at every node flagged in `entry`.
Adjacency withSuperRoot(const Adjacency& graph, const std::vector<uint8_t>& entry)
{
    const size_t n = graph.nodeCount();
    Adjacency g;
    g.start = graph.start;
    g.target.reserve(graph.target.size() + n / 8);
    g.target = graph.target;
    for (uint32_t v = 0; v < n; ++v)
        if (entry[v])
            g.target.push_back(v);
    g.start.push_back(g.target.size());
    return g;
}

} // namespace

GraphAnalysis analyseGraph(const ObjectGraph& graph)
{
    GraphAnalysis a;
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    const StrongComponents scc = strongComponents(graph.edges);
    a.component = scc.component;
    a.componentCount = scc.count;

    // Reachability from the roots: a breadth-first sweep.
    std::vector<uint8_t> entry = graphRoots(graph);
    a.garbage.assign(n, 1);
    {
        std::vector<uint32_t> queue;
        for (uint32_t v = 0; v < n; ++v)
            if (entry[v]) {
                a.garbage[v] = 0;
                queue.push_back(v);
            }
        for (size_t k = 0; k < queue.size(); ++k)
            for (uint64_t e = graph.edges.begin(queue[k]); e < graph.edges.end(queue[k]); ++e)
                if (a.garbage[graph.edges.target[e]]) {
                    a.garbage[graph.edges.target[e]] = 0;
                    queue.push_back(graph.edges.target[e]);
                }
    }

    // The graph of components; garbage components nothing else refers to become entries.
    std::vector<std::pair<uint32_t, uint32_t>> links;
    for (uint32_t v = 0; v < n; ++v)
        for (uint64_t e = graph.edges.begin(v); e < graph.edges.end(v); ++e) {
            const uint32_t from = scc.component[v], to = scc.component[graph.edges.target[e]];
            if (from != to)
                links.emplace_back(from, to);
        }
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    std::vector<uint8_t> referred(scc.count, 0);
    for (const auto& link : links)
        referred[link.second] = 1;
    std::vector<uint8_t> componentEntry(scc.count, 0);
    for (uint32_t v = 0; v < n; ++v) {
        const uint32_t c = scc.component[v];
        if (entry[v] || (a.garbage[v] && !referred[c])) {
            componentEntry[c] = 1;
            entry[v] = 1; // every member of a garbage group is an entry of the object graph
        }
    }

    // Object-level dominators.
    {
        const DominatorTree tree = dominatorTree(withSuperRoot(graph.edges, entry), n);
        std::vector<uint64_t> sizes = graph.size;
        sizes.push_back(0);
        a.retained = retainedSizes(tree, sizes);
        a.retained.pop_back();
        a.idom.assign(tree.idom.begin(), tree.idom.end() - 1);
        for (uint32_t& d : a.idom)
            if (d == n)
                d = kNoIndex;
    }
    // Component-level dominators.
    {
        const Adjacency components = Adjacency::fromEdges(scc.count, links);
        std::vector<uint64_t> sizes(scc.count + 1, 0);
        for (uint32_t v = 0; v < n; ++v)
            sizes[scc.component[v]] += graph.size[v];
        const DominatorTree tree =
            dominatorTree(withSuperRoot(components, componentEntry), scc.count);
        a.componentRetained = retainedSizes(tree, sizes);
        a.componentRetained.pop_back();
    }
    return a;
}

} // namespace hs
