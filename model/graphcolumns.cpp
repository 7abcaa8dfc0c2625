#include "graphcolumns.h"

#include "profiledata.h"

#include <algorithm>

namespace hs {

namespace {

template <typename Values>
void put(const HeapColumnVisitor& visit, const std::string& name, const Values& values)
{
    std::vector<uint64_t> part;
    for (size_t first = 0; first < values.size(); first += kColumnPart) {
        const size_t n = std::min(kColumnPart, values.size() - first);
        part.assign(values.begin() + first, values.begin() + first + n);
        visit(name, part);
    }
}

const std::vector<uint64_t>* column(const HeapColumns& c, const std::string& name)
{
    const auto it = c.find(name);
    return it == c.end() ? nullptr : &it->second;
}

// Copies a column of `n` values below `limit` (kNoIndex passes when `optional`).
template <typename Values>
bool take(const HeapColumns& c, const std::string& name, size_t n, uint64_t limit, bool optional,
          Values& out)
{
    const auto* values = column(c, name);
    if (!values || values->size() != n)
        return false;
    out.resize(n);
    for (size_t k = 0; k < n; ++k) {
        const uint64_t v = (*values)[k];
        if (v >= limit && !(optional && v == kNoIndex))
            return false;
        out[k] = static_cast<typename Values::value_type>(v);
    }
    return true;
}

} // namespace

void visitGraphColumns(const ObjectGraph& g, const GraphAnalysis& a, const HeapColumnVisitor& c)
{
    if (g.empty())
        return;
    put(c, "node.address", g.address);
    put(c, "node.type", g.type);
    put(c, "node.size", g.size);
    put(c, "node.label", g.label);
    put(c, "node.flags", g.flags);
    put(c, "node.traceback", g.traceback);
    put(c, "edge.start", g.edges.start);
    put(c, "edge.target", g.edges.target);
    put(c, "edge.name", g.edgeName);
    std::vector<uint64_t> rootNode, rootKind, rootName;
    for (const auto& r : g.roots) {
        rootNode.push_back(r.node);
        rootKind.push_back(r.kind);
        rootName.push_back(r.name);
    }
    c("root.node", rootNode);
    c("root.kind", rootKind);
    c("root.name", rootName);
    if (a.empty())
        return;
    put(c, "analysis.component", a.component);
    c("analysis.component_count", {a.componentCount});
    put(c, "analysis.garbage", a.garbage);
    put(c, "analysis.idom", a.idom);
    put(c, "analysis.retained", a.retained);
    put(c, "analysis.component_retained", a.componentRetained);
}

void graphFromColumns(const HeapColumns& c, size_t strings, size_t stacks, ObjectGraph& g,
                      GraphAnalysis& a, std::string& damage)
{
    g = ObjectGraph();
    a = GraphAnalysis();
    const auto* address = column(c, "node.address");
    if (!address)
        return; // no graph
    const size_t n = address->size();
    g.address.assign(address->begin(), address->end());
    const uint64_t anything = UINT64_MAX;
    bool ok = take(c, "node.type", n, strings, false, g.type) &&
              take(c, "node.size", n, anything, false, g.size) &&
              take(c, "node.label", n, strings, true, g.label) &&
              take(c, "node.flags", n, 8, false, g.flags) &&
              take(c, "node.traceback", n, stacks, true, g.traceback);
    const auto* start = column(c, "edge.start");
    const auto* target = column(c, "edge.target");
    ok = ok && start && target && start->size() == n + 1 && start->front() == 0 &&
         start->back() == target->size();
    for (size_t v = 0; ok && v < n; ++v)
        ok = (*start)[v] <= (*start)[v + 1];
    if (ok) {
        g.edges.start.assign(start->begin(), start->end());
        ok = take(c, "edge.target", target->size(), n, false, g.edges.target) &&
             take(c, "edge.name", target->size(), strings, true, g.edgeName);
    }
    std::vector<uint32_t> rootNode, rootKind, rootName;
    const auto* roots = column(c, "root.node");
    const size_t r = roots ? roots->size() : 0;
    ok = ok && take(c, "root.node", r, n, false, rootNode) &&
         take(c, "root.kind", r, strings, true, rootKind) &&
         take(c, "root.name", r, strings, true, rootName);
    if (!ok) {
        damage = "an object graph refers to something that does not exist";
        g = ObjectGraph();
        return;
    }
    for (size_t k = 0; k < r; ++k)
        g.roots.push_back({rootNode[k], rootKind[k], rootName[k]});

    // The cached analysis, used only when it fits the graph exactly.
    const auto* count = column(c, "analysis.component_count");
    if (!count || count->size() != 1 || (*count)[0] > n)
        return;
    a.componentCount = static_cast<uint32_t>((*count)[0]);
    const bool fits = take(c, "analysis.component", n, a.componentCount, false, a.component) &&
                      take(c, "analysis.garbage", n, 2, false, a.garbage) &&
                      take(c, "analysis.idom", n, n, true, a.idom) &&
                      take(c, "analysis.retained", n, anything, false, a.retained) &&
                      take(c, "analysis.component_retained", a.componentCount, anything, false,
                           a.componentRetained);
    if (!fits)
        a = GraphAnalysis();
}

} // namespace hs
