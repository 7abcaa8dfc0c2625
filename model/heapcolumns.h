#pragma once

#include "heapprofile.h"

#include <map>
#include <string>
#include <vector>

namespace hs {

// A heap profile as named columns of 64-bit values, the form the store keeps it in: new fields
// become new columns without a new table.
using HeapColumns = std::map<std::string, std::vector<uint64_t>>;

HeapColumns heapToColumns(const HeapProfile& heap);
// Rebuilds a profile and checks every reference; `damage` names what is wrong, or stays empty.
HeapProfile heapFromColumns(const HeapColumns& columns, size_t stacks, size_t frames,
                            std::string& damage);

} // namespace hs
