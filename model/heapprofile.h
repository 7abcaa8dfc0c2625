#pragma once

#include "hugepageallocator.h"

#include <cstdint>
#include <vector>

namespace hs {

// Costs of a native heap profile (heaptrack) charged to the innermost stack of an allocation
// site, over the whole recording.
struct HeapCost
{
    uint32_t stack = 0;
    uint32_t location = 0;        // index into HeapProfile::locations
    uint64_t allocations = 0;     // calls to allocation functions
    uint64_t allocatedBytes = 0;  // requested bytes over all calls
    uint64_t temporary = 0;       // freed right after being allocated
    uint64_t peakBytes = 0;       // alive at the moment of the global peak
    uint64_t leakedBytes = 0;     // alive at the end, unless a suppression matches the site
    uint64_t suppressedBytes = 0; // alive at the end at a suppressed site
};

// The events between two timestamps of the recording (or a run of such stretches once a long
// recording has been folded to bound its size). Heap figures are absolute.
struct HeapInterval
{
    int64_t timeMs = 0; // the timestamp the events carry
    uint64_t allocations = 0;
    uint64_t temporary = 0;
    uint64_t allocatedBytes = 0;
    uint64_t freedBytes = 0;
    uint64_t heapStart = 0; // heap in use before the first event
    uint64_t heapMax = 0;   // the most in use at any moment in the interval (>= heapStart)
    uint64_t rssBytes = 0;  // the largest RSS sample, 0 when none
};

// One stack's events during one time bucket (a run of `bucketWidth` intervals).
struct HeapBucketCost
{
    uint32_t bucket = 0;
    uint32_t stack = 0;
    uint64_t allocations = 0;
    uint64_t temporary = 0;
    uint64_t allocatedBytes = 0;
    uint64_t freedBytes = 0;
};

struct HeapSizeCount
{
    uint64_t size = 0;  // requested bytes
    uint64_t count = 0; // calls asking for that many
};

struct HeapProfile
{
    // Huge pages: a large recording holds 10 MB of each, and filling them page by page was
    // most of reading a stored profile back.
    HugeVector<HeapCost> costs;
    // heaptrack_print merges sites by the location of their innermost instruction pointer
    // (module, function, file, line); each location's representative frame, in the order
    // heaptrack_print keeps them before sorting (ties in its top lists depend on it).
    std::vector<uint32_t> locations;
    std::vector<HeapInterval> intervals;    // in file order
    uint32_t bucketWidth = 1;               // intervals per time bucket
    HugeVector<HeapBucketCost> bucketCosts; // by bucket, then stack
    std::vector<HeapSizeCount> sizes;       // by size

    bool empty() const { return costs.empty() && intervals.empty() && locations.empty(); }
};

} // namespace hs
