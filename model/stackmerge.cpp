#include "stackmerge.h"

#include "calltree.h"
#include "flathashmap.h"
#include "hugepageallocator.h"
#include "seededhash.h"

namespace hs {

std::vector<uint32_t> mergeStacks(const ProfileData& data)
{
    // Runs at the end of an import, next to everything imported, so it keeps little: each
    // merged node's first frame and links to its children (12 bytes), and each frame's key. A
    // stack is looked for among its merged parent's children: most stacks extend a chain
    // whose last node has no children yet and is still in cache (a hash probe per stack was a
    // cache miss each). A node with more than kMaxWalk children has them in `hubs`, by the
    // full hash of (merged parent, key): for one key that hash is a bijection of the parent,
    // so an equal hash and key is the same parent.
    constexpr size_t kMaxWalk = 4;
    constexpr uint32_t kHub = kNoIndex - 1; // as a first child: the children are in `hubs`
    struct Node
    {
        uint32_t frame, firstChild, nextSibling;
    };
    const size_t n = data.stacks.size();
    std::vector<uint32_t> merged(n, 0);
    HugeVector<Node> nodes; // by merged node
    nodes.reserve(n);
    std::vector<uint64_t> keyOfFrame(data.frames.size());
    for (size_t f = 0; f < keyOfFrame.size(); ++f)
        keyOfFrame[f] = frameMergeKey(data, static_cast<uint32_t>(f));
    const auto keyOf = [&](uint32_t frame) {
        return frame < keyOfFrame.size() ? keyOfFrame[frame] : frameMergeKey(data, frame);
    };
    const uint64_t seed = seededhash::seed();
    const auto hashOf = [&](uint32_t parent, uint64_t key) {
        return seededhash::mix((key * 0x9E3779B97F4A7C15ull ^ parent) ^ seed);
    };
    FlatHashMap hubs;
    const auto intoHubs = [&](uint32_t parent, uint32_t child) { // a key not there yet
        hubs.findOrInsertHashed(hashOf(parent, keyOf(nodes[child].frame)), child,
                                [](uint32_t) { return false; });
    };
    uint32_t rootFirst = kNoIndex;
    for (size_t s = 0; s < n; ++s) {
        const StackNode& sn = data.stacks[s];
        const uint32_t p = sn.parent == kNoIndex ? kNoIndex : merged[sn.parent];
        const uint64_t k = keyOf(sn.frame);
        const uint32_t first = p == kNoIndex ? rootFirst : nodes[p].firstChild;
        const auto m = static_cast<uint32_t>(nodes.size());
        if (first == kHub) {
            merged[s] = hubs.findOrInsertHashed(
                hashOf(p, k), m, [&](uint32_t c) { return keyOf(nodes[c].frame) == k; });
            if (merged[s] == m)
                nodes.push_back({sn.frame, kNoIndex, kNoIndex});
            continue;
        }
        uint32_t found = kNoIndex;
        size_t siblings = 0;
        for (uint32_t c = first; c != kNoIndex && found == kNoIndex;
             c = nodes[c].nextSibling, ++siblings)
            if (keyOf(nodes[c].frame) == k)
                found = c;
        if (found != kNoIndex) {
            merged[s] = found;
            continue;
        }
        nodes.push_back({sn.frame, kNoIndex, kNoIndex});
        uint32_t& head = p == kNoIndex ? rootFirst : nodes[p].firstChild;
        if (siblings < kMaxWalk) {
            nodes[m].nextSibling = head;
            head = m;
        } else { // becomes a hub: its children go into the map
            for (uint32_t c = head; c != kNoIndex; c = nodes[c].nextSibling)
                intoHubs(p, c);
            intoHubs(p, m);
            head = kHub;
        }
        merged[s] = m;
    }
    return merged;
}

std::string mergedNodes(const ProfileData& data, const std::vector<uint32_t>& merged,
                        std::vector<uint32_t>& parent, std::vector<uint32_t>& frame)
{
    parent.clear();
    frame.clear();
    parent.reserve(merged.size());
    frame.reserve(merged.size());
    if (merged.size() != data.stacks.size())
        return "merged stacks do not match the stacks";
    for (size_t s = 0; s < merged.size(); ++s) {
        const StackNode& sn = data.stacks[s];
        const uint32_t p = sn.parent == kNoIndex ? kNoIndex : merged[sn.parent];
        const uint32_t m = merged[s];
        if (m == parent.size()) {
            parent.push_back(p);
            frame.push_back(sn.frame);
        } else if (m > parent.size() || parent[m] != p ||
                   frameMergeKey(data, frame[m]) != frameMergeKey(data, sn.frame)) {
            return "merged stacks do not follow the stacks";
        }
    }
    return {};
}

} // namespace hs
