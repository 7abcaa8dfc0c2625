#pragma once

#include "heapprofile.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace hs {

// A heap profile as named columns of 64-bit values, the form the store keeps it in: new fields
// become new columns without a new table.
using HeapColumns = std::map<std::string, std::vector<uint64_t>>;

// Called with a column's values in order, in one call or in several consecutive parts (large
// columns come in parts of at most kColumnPart values, so writing never holds a 64-bit copy of
// a whole column). An empty column may come as one empty part.
using HeapColumnVisitor =
    std::function<void(const std::string& name, const std::vector<uint64_t>& values)>;
inline constexpr size_t kColumnPart = 65536;

HeapColumns heapToColumns(const HeapProfile& heap);
// The same columns, one at a time (writing a large profile never holds a second copy of it).
void visitHeapColumns(const HeapProfile& heap, const HeapColumnVisitor& visit);
// Read back by HeapColumnReader.

} // namespace hs
