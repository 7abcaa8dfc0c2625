#pragma once

#include "profiledata.h"

#include <vector>

namespace hs {

// Self and total (inclusive) cost of one node of the call-stack trie in one snapshot, all
// allocation domains together: what a flame graph or a top-down tree draws.
struct StackTreeCost
{
    uint64_t selfSize = 0;
    uint64_t selfCount = 0;
    uint64_t totalSize = 0;
    uint64_t totalCount = 0;
};

// Indexed by stack id. Parents precede children in the trie, so one backward pass sums it.
std::vector<StackTreeCost> stackTreeCosts(const ProfileData& data, uint32_t snapshot);

} // namespace hs
