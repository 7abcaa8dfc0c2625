#pragma once

#include "flathashmap.h"
#include "hugepageallocator.h"
#include "picklereader.h"
#include "profilebuilder.h"

#include <unordered_map>
#include <utility>
#include <vector>

namespace hs {

// Turns the traces of an unpickled snapshot into stacks and costs. Traces streamed into the
// first list that receives any (the trace list, in every real dump) are summed per traceback
// tuple as they go by: one array access per trace. Everything else a container kept is decoded
// afterwards with full checks. Nothing reaches the builder before decodeContainer().
class SnapshotDecoder
{
public:
    struct Sums
    {
        FlatHashMap index; // stack << 32 | domain -> index in costs
        std::vector<StackCost> costs;
        uint64_t totalSize = 0;
        uint64_t totalCount = 0;
        uint64_t truncatedCount = 0;
        int arity = 0;
    };

    SnapshotDecoder(const pickle::PickleReader& reader, ProfileBuilder& builder);

    // The reader's append filter: takes over inline (well-formed, domain 0) traces of the first
    // list that receives any.
    bool take(const pickle::Value& list, const pickle::Value& item);

    // Sums of the trace container: what was streamed into it plus what it kept.
    void decodeContainer(const pickle::Value& container);

    Sums& result() { return m_result; }

private:
    struct TupleSums
    {
        uint64_t size = 0;
        uint64_t count = 0;
        uint64_t truncated = 0;
        uint32_t frames = 0; // the traceback's length, cached on first use
    };

    void decodeTrace(const pickle::Value& trace, uint64_t containerPos);
    void addCost(Sums& sums, uint32_t domain, uint32_t stack, uint64_t size, uint64_t count,
                 uint64_t truncated, uint64_t pos);
    // The stack of a traceback tuple, and its number of frames.
    std::pair<uint32_t, size_t> stackOf(const pickle::Value& traceback, uint64_t tracePos);
    uint32_t fileOf(const pickle::Value& s);

    const pickle::PickleReader& m_reader;
    const pickle::PickleHeap& m_heap;
    ProfileBuilder& m_builder;
    std::vector<std::pair<uint32_t, size_t>> m_stackOfTuple;
    std::unordered_map<uint32_t, uint32_t> m_fileOfString;
    uint32_t m_streamedList = UINT32_MAX;
    HugeVector<TupleSums> m_byTuple; // streamed traces by traceback tuple
    uint64_t m_streamedSize = 0;
    int m_streamedArity = 0;
    Sums m_result;
};

} // namespace hs
