#include "stackmerge.h"

#include "calltree.h"
#include "flathashmap.h"
#include "seededhash.h"

namespace hs {

std::vector<uint32_t> mergeStacks(const ProfileData& data)
{
    const size_t n = data.stacks.size();
    std::vector<uint32_t> merged(n, 0);
    std::vector<uint32_t> parent; // by merged node
    std::vector<uint64_t> key;    // by merged node
    parent.reserve(n);
    key.reserve(n);
    FlatHashMap index;
    index.reserve(n);
    for (size_t s = 0; s < n; ++s) {
        const StackNode& sn = data.stacks[s];
        const uint32_t p = sn.parent == kNoIndex ? kNoIndex : merged[sn.parent];
        const uint64_t k = frameMergeKey(data, sn.frame);
        const auto next = static_cast<uint32_t>(parent.size());
        const uint64_t hash = seededhash::mix(k * 0x9E3779B97F4A7C15ull ^ p);
        const uint32_t at = index.findOrInsertHashed(
            hash, next, [&](uint32_t m) { return parent[m] == p && key[m] == k; });
        if (at == next) {
            parent.push_back(p);
            key.push_back(k);
        }
        merged[s] = at;
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
