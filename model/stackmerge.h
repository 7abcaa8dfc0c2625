#pragma once

#include "profiledata.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hs {

// The call-stack trie with frames merged as a top-down call tree merges them (frameMergeKey:
// by function and module where there is a function name): each stack's merged node, numbered
// in the order the nodes first appear, so a parent's number is below its children's. Computed
// once at import and stored, this is what lets a call tree be summed in a few linear passes
// instead of hashing every stack again on each open.
std::vector<uint32_t> mergeStacks(const ProfileData& data);

// The merged nodes' parents (kNoIndex for a top frame) and representative frames (the first
// stack's), from a mapping as mergeStacks returns it. An empty string when `merged` is such a
// mapping for `data`; otherwise what is wrong with it (a damaged file).
std::string mergedNodes(const ProfileData& data, const std::vector<uint32_t>& merged,
                        std::vector<uint32_t>& parent, std::vector<uint32_t>& frame);

} // namespace hs
