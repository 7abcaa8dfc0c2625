#pragma once

#include "heaptracksymbols.h"
#include "profilebuilder.h"

#include <vector>

namespace hs {

// Maps heaptrack's backtrace tree onto the builder's stack trie, each trace node once: the
// frames of each instruction pointer (innermost inlined first in the file) are appended from
// the caller inwards; an address without a symbol becomes a frame named 0x<address>.
class HeaptrackTraceMapper
{
public:
    HeaptrackTraceMapper(const HeaptrackSymbols& symbols, ProfileBuilder& builder);

    // The stack of an allocation site: its trace without the leading operator new frames, as
    // heaptrack charges them. kNoIndex for an empty backtrace.
    uint32_t siteStack(uint32_t trace);

private:
    uint32_t stackOf(uint32_t trace);
    uint32_t appendIp(uint32_t parent, uint32_t ipIndex);
    uint32_t string(uint32_t index);

    const HeaptrackSymbols& m_symbols;
    ProfileBuilder& m_builder;
    std::vector<uint32_t> m_stackOf; // by trace index; the root maps to kNoIndex
};

} // namespace hs
