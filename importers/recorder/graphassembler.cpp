#include "graphassembler.h"

namespace hs {

bool GraphAssembler::addNode(uint64_t address, uint32_t type, uint64_t size, uint32_t label,
                             uint8_t flags, uint32_t traceback)
{
    ObjectGraph& g = m_graph;
    const auto next = static_cast<uint32_t>(g.address.size());
    if (m_index.findOrInsert(address, next) != next)
        return false;
    if (next == 0)
        g.edges.start.assign(1, 0);
    else
        g.edges.start.push_back(m_targets.size()); // the previous node's references end here
    g.address.push_back(address);
    g.type.push_back(type);
    g.size.push_back(size);
    g.label.push_back(label);
    g.flags.push_back(flags);
    g.traceback.push_back(traceback);
    return true;
}

ObjectGraph GraphAssembler::finish(uint64_t& dangling)
{
    ObjectGraph& g = m_graph;
    const size_t n = g.address.size();
    if (n == 0)
        return {};
    g.edges.start.push_back(m_targets.size());
    // Resolve and compact in place: kept references move down over dropped ones.
    g.edges.target.resize(m_targets.size());
    uint64_t out = 0;
    for (size_t v = 0; v < n; ++v) {
        const uint64_t begin = g.edges.start[v], end = g.edges.start[v + 1];
        g.edges.start[v] = out;
        for (uint64_t e = begin; e < end; ++e) {
            const uint32_t target = m_index.find(m_targets[e]);
            if (target == FlatHashMap::kMissing) {
                ++dangling;
                continue;
            }
            g.edges.target[out] = target;
            g.edgeName[out] = g.edgeName[e];
            ++out;
        }
    }
    g.edges.start[n] = out;
    g.edges.target.resize(out);
    g.edges.target.shrink_to_fit();
    g.edgeName.resize(out);
    g.edgeName.shrink_to_fit();
    HugeVector<uint64_t>().swap(m_targets);
    for (auto& [address, root] : m_roots) {
        const uint32_t node = m_index.find(address);
        if (node != FlatHashMap::kMissing) {
            root.node = node;
            g.roots.push_back(root);
        }
    }
    m_index.clear();
    m_roots.clear();
    return std::move(g);
}

} // namespace hs
