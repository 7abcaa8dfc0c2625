#pragma once

#include "heaptracksymbols.h"
#include "profilebuilder.h"

#include <vector>

namespace hs {

// Maps heaptrack's backtrace tree onto the builder's stack trie, each trace node once, in
// place: the frames of each instruction pointer (innermost inlined first in the file) are
// appended from the caller inwards; an address without a symbol becomes a frame named
// 0x<address>; a node of operator new is its caller's stack, as heaptrack reads it.
class HeaptrackTraceMapper
{
public:
    HeaptrackTraceMapper(HeaptrackSymbols& symbols, ProfileBuilder& builder);

    // An allocation site's trace without its leading operator new frames, as heaptrack
    // charges it (0 when nothing is left). Only before mapAll().
    uint32_t siteTrace(uint32_t trace);
    // Turns every node's address into its stack (kNoIndex for the root).
    void mapAll();
    // After mapAll(): the stack of a trace; kNoIndex for the empty backtrace.
    uint32_t stackOf(uint32_t trace) const;

private:
    bool isOperatorNew(uint32_t ipIndex);
    uint32_t appendIp(uint32_t parent, uint32_t ipIndex);
    uint32_t string(uint32_t index);

    HeaptrackSymbols& m_symbols;
    ProfileBuilder& m_builder;
    std::vector<uint32_t> m_stringOf;  // heaptrack string index -> builder string, once known
    std::vector<int8_t> m_operatorNew; // by address: -1 not known yet
    std::vector<std::pair<uint32_t, uint32_t>> m_ipFrames; // by address: its frames in m_frames
    std::vector<uint32_t> m_frames;
};

} // namespace hs
