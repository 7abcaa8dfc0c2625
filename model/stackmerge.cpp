#include "stackmerge.h"

#include "calltree.h"
#include "hugepageallocator.h"
#include "seededhash.h"

namespace hs {

std::vector<uint32_t> mergeStacks(const ProfileData& data)
{
    // Runs at the end of an import, next to everything imported, so it keeps little: a table
    // of 4-byte slots holding merged node numbers, each merged node's parent and frame side by
    // side, and each frame's key. A probe then reads the slot and the node (two cache misses)
    // instead of going through the node's first stack to its frame.
    const size_t n = data.stacks.size();
    std::vector<uint32_t> merged(n, 0);
    HugeVector<StackNode> nodes; // by merged node: its merged parent and first frame
    nodes.reserve(n);
    std::vector<uint64_t> keyOfFrame(data.frames.size());
    for (size_t f = 0; f < keyOfFrame.size(); ++f)
        keyOfFrame[f] = frameMergeKey(data, static_cast<uint32_t>(f));
    const auto keyOf = [&](uint32_t frame) {
        return frame < keyOfFrame.size() ? keyOfFrame[frame] : frameMergeKey(data, frame);
    };
    size_t slotCount = 1024;
    while (slotCount * 3 < n * 4)
        slotCount *= 2;
    HugeVector<uint32_t> slots(slotCount, kNoIndex);
    const size_t mask = slotCount - 1;
    const uint64_t seed = seededhash::seed();
    for (size_t s = 0; s < n; ++s) {
        const StackNode& sn = data.stacks[s];
        const uint32_t p = sn.parent == kNoIndex ? kNoIndex : merged[sn.parent];
        const uint64_t k = keyOf(sn.frame);
        size_t i = size_t(seededhash::mix((k * 0x9E3779B97F4A7C15ull ^ p) ^ seed)) & mask;
        for (;; i = (i + 1) & mask) {
            const uint32_t m = slots[i];
            if (m == kNoIndex) {
                merged[s] = slots[i] = static_cast<uint32_t>(nodes.size());
                nodes.push_back({p, sn.frame});
                break;
            }
            if (nodes[m].parent == p && keyOf(nodes[m].frame) == k) {
                merged[s] = m;
                break;
            }
        }
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
