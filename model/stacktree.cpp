#include "stacktree.h"

#include "hserror.h"

namespace hs {

std::vector<StackTreeCost> stackTreeCosts(const ProfileData& data, uint32_t snapshot)
{
    if (snapshot >= data.snapshots.size())
        throw Error("no snapshot " + std::to_string(snapshot));
    std::vector<StackTreeCost> tree(data.stacks.size());
    for (const StackCost& c : data.snapshots[snapshot].costs) {
        tree[c.stack].selfSize += c.size;
        tree[c.stack].selfCount += c.count;
    }
    for (size_t i = tree.size(); i-- > 0;) {
        tree[i].totalSize += tree[i].selfSize;
        tree[i].totalCount += tree[i].selfCount;
        if (const uint32_t parent = data.stacks[i].parent; parent != kNoIndex) {
            tree[parent].totalSize += tree[i].totalSize;
            tree[parent].totalCount += tree[i].totalCount;
        }
    }
    return tree;
}

} // namespace hs
