#pragma once

#include "adjacency.h"

#include <cstdint>
#include <vector>

namespace hs {

// Strongly connected components (Tarjan's algorithm with an explicit stack: no recursion, so a
// chain of millions of objects cannot overflow the call stack). Components are numbered in
// reverse topological order: every edge goes to a component with a number no larger than its
// own.
struct StrongComponents
{
    std::vector<uint32_t> component; // by node
    uint32_t count = 0;
};

StrongComponents strongComponents(const Adjacency& graph);

} // namespace hs
