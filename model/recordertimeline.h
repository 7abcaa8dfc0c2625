#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hs {

// What heapscope's Python recorder sampled while the program ran, and when it took checkpoints.
struct RecorderTimeline
{
    struct Sample
    {
        double timeMs = 0;
        uint64_t tracedCurrent = 0; // tracemalloc's traced memory (0 when it was off)
        uint64_t tracedPeak = 0;
        uint64_t rssBytes = 0;
        uint64_t gcCount[3] = {0, 0, 0};       // gc.get_count()
        uint64_t gcCollections[3] = {0, 0, 0}; // collections so far, per generation
    };
    struct Checkpoint
    {
        uint32_t id = 0;
        double timeMs = 0;
        std::string label;
        uint32_t flags = 0; // as in the file: 1 snapshot, 2 graph, 4 signal, 8 periodic
    };
    std::vector<Sample> samples;
    std::vector<Checkpoint> checkpoints;

    bool empty() const { return samples.empty() && checkpoints.empty(); }
};

} // namespace hs
