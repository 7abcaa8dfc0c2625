#include "stackmerge.h"

#include "calltree.h"
#include "hugepageallocator.h"
#include "seededhash.h"

namespace hs {

std::vector<uint32_t> mergeStacks(const ProfileData& data)
{
    // Runs at the end of an import, next to everything imported, so it keeps little: a table
    // of 4-byte slots holding merged node numbers, and each node's first stack, through which
    // candidates are compared (its merged parent and its frame's key).
    const size_t n = data.stacks.size();
    std::vector<uint32_t> merged(n, 0);
    std::vector<uint32_t> first; // by merged node: the first stack merged into it
    first.reserve(n);
    size_t slotCount = 1024;
    while (slotCount * 3 < n * 4)
        slotCount *= 2;
    HugeVector<uint32_t> slots(slotCount, kNoIndex);
    const size_t mask = slotCount - 1;
    const uint64_t seed = seededhash::seed();
    const auto parentOf = [&](const StackNode& sn) {
        return sn.parent == kNoIndex ? kNoIndex : merged[sn.parent];
    };
    for (size_t s = 0; s < n; ++s) {
        const StackNode& sn = data.stacks[s];
        const uint32_t p = parentOf(sn);
        const uint64_t k = frameMergeKey(data, sn.frame);
        size_t i = size_t(seededhash::mix((k * 0x9E3779B97F4A7C15ull ^ p) ^ seed)) & mask;
        for (;; i = (i + 1) & mask) {
            const uint32_t m = slots[i];
            if (m == kNoIndex) {
                merged[s] = slots[i] = static_cast<uint32_t>(first.size());
                first.push_back(static_cast<uint32_t>(s));
                break;
            }
            const StackNode& other = data.stacks[first[m]];
            if (parentOf(other) == p && frameMergeKey(data, other.frame) == k) {
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
