#pragma once

#include "chunkedvector.h"

#include <cstdint>

namespace hs {

// The running costs of one allocation info (a distinct requested size and backtrace): what each
// + and - line touches, in one cache line.
struct alignas(64) HeaptrackInfoCost
{
    uint64_t size = 0;
    uint64_t allocations = 0;
    uint64_t temporary = 0;
    uint64_t frees = 0;
    uint64_t live = 0;        // blocks alive now (at the end: leaked)
    uint64_t peakLive = 0;    // blocks alive at the moment of the peak
    uint64_t peakStamp = 0;   // the peak epoch in which `live` last changed
    uint64_t bucketStamp = 0; // the time bucket in which the info last had an event
};

using HeaptrackInfoCosts = ChunkedVector<HeaptrackInfoCost, 15>; // blocks of 2 MiB

} // namespace hs
