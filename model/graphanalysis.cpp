#include "graphanalysis.h"

#include "dominatortree.h"
#include "profiledata.h"
#include "strongcomponents.h"

#include <algorithm>
#include <future>

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

std::vector<uint32_t> flagged(const std::vector<uint8_t>& flags)
{
    std::vector<uint32_t> out;
    for (uint32_t v = 0; v < flags.size(); ++v)
        if (flags[v])
            out.push_back(v);
    return out;
}

// What the roots do not reach: a breadth-first sweep.
std::vector<uint8_t> unreachable(const Adjacency& edges, const std::vector<uint8_t>& roots)
{
    std::vector<uint8_t> garbage(roots.size(), 1);
    std::vector<uint32_t> queue;
    for (uint32_t v = 0; v < roots.size(); ++v)
        if (roots[v]) {
            garbage[v] = 0;
            queue.push_back(v);
        }
    for (size_t k = 0; k < queue.size(); ++k)
        for (uint64_t e = edges.begin(queue[k]); e < edges.end(queue[k]); ++e)
            if (garbage[edges.target[e]]) {
                garbage[edges.target[e]] = 0;
                queue.push_back(edges.target[e]);
            }
    return garbage;
}

// Flags, among the garbage, the members of groups (strongly connected components) that no
// other garbage refers to. Only garbage refers to garbage, and a component never mixes garbage
// with reachable objects, so the components of the garbage alone are the graph's.
void flagGarbageEntries(const Adjacency& edges, const std::vector<uint8_t>& garbage,
                        std::vector<uint8_t>& entry)
{
    const auto n = static_cast<uint32_t>(garbage.size());
    std::vector<uint32_t> local(n, kNoIndex), global;
    for (uint32_t v = 0; v < n; ++v)
        if (garbage[v]) {
            local[v] = static_cast<uint32_t>(global.size());
            global.push_back(v);
        }
    if (global.empty())
        return;
    Adjacency sub;
    sub.start.reserve(global.size() + 1);
    for (const uint32_t v : global) {
        for (uint64_t e = edges.begin(v); e < edges.end(v); ++e)
            if (local[edges.target[e]] != kNoIndex)
                sub.target.push_back(local[edges.target[e]]);
        sub.start.push_back(sub.target.size());
    }
    const StrongComponents scc = strongComponents(sub);
    std::vector<uint8_t> referred(scc.count, 0);
    for (uint32_t v = 0; v < global.size(); ++v)
        for (uint64_t e = sub.begin(v); e < sub.end(v); ++e)
            if (scc.component[v] != scc.component[sub.target[e]])
                referred[scc.component[sub.target[e]]] = 1;
    for (uint32_t v = 0; v < global.size(); ++v)
        if (!referred[scc.component[v]])
            entry[global[v]] = 1;
}

// Components, and what each component as a whole keeps alive (dominators of the graph of
// components, garbage groups nothing else refers to as entries of their own).
void analyseComponents(const ObjectGraph& graph, const std::vector<uint8_t>& roots,
                       const std::vector<uint8_t>& garbage, GraphAnalysis& a)
{
    const auto n = static_cast<uint32_t>(graph.nodeCount());
    StrongComponents scc = strongComponents(graph.edges);
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
    std::vector<uint64_t> sizes(scc.count, 0);
    for (uint32_t v = 0; v < n; ++v) {
        const uint32_t c = scc.component[v];
        componentEntry[c] |= roots[v] || (garbage[v] && !referred[c]);
        sizes[c] += graph.size[v];
    }
    const Adjacency components = Adjacency::fromEdges(scc.count, links);
    std::vector<std::pair<uint32_t, uint32_t>>().swap(links);
    const DominatorTree tree = dominatorTree(components, flagged(componentEntry));
    a.componentRetained = retainedSizes(tree, sizes);
    a.component = std::move(scc.component);
    a.componentCount = scc.count;
}

} // namespace

GraphAnalysis analyseGraph(const ObjectGraph& graph)
{
    GraphAnalysis a;
    const std::vector<uint8_t> roots = graphRoots(graph);
    a.garbage = unreachable(graph.edges, roots);

    // The components on a second core while this one finds the object-level dominators.
    auto components = std::async(std::launch::async,
                                 [&] { analyseComponents(graph, roots, a.garbage, a); });
    std::vector<uint8_t> entry = roots;
    flagGarbageEntries(graph.edges, a.garbage, entry);
    DominatorTree tree = dominatorTree(graph.edges, flagged(entry));
    a.retained = retainedSizes(tree, graph.size);
    a.idom = std::move(tree.idom);
    components.get();
    return a;
}

} // namespace hs
