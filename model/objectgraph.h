#pragma once

#include "adjacency.h"

#include <cstdint>
#include <vector>

namespace hs {

// A heap's object graph at one moment: every gc-tracked object and the untracked ones they
// refer to, with the references between them, in flat arrays by node index. Strings (types,
// labels, edge names, root kinds) are indices into ProfileData::strings; kNoIndex (~0u) when
// absent. Tracebacks are stacks of the profile's stack trie.
struct ObjectGraph
{
    enum Flag : uint8_t
    {
        Tracked = 1, // followed by the cycle collector (it has references of its own)
        Module = 2,
        Type = 4,
    };
    struct Root
    {
        uint32_t node = 0;
        uint32_t kind = 0; // "module", "frame"
        uint32_t name = 0;
    };

    HugeVector<uint64_t> address; // the object's id() in the recorded process
    HugeVector<uint32_t> type;    // "module.qualname"
    HugeVector<uint64_t> size;    // sys.getsizeof
    HugeVector<uint32_t> label;
    HugeVector<uint8_t> flags;
    HugeVector<uint32_t> traceback; // where it was allocated, when tracemalloc knew
    Adjacency edges;                 // from referrer to referent
    HugeVector<uint32_t> edgeName;  // by edge: dict key, attribute, [index]...
    std::vector<Root> roots;

    size_t nodeCount() const { return address.size(); }
    bool empty() const { return address.empty(); }
};

} // namespace hs
