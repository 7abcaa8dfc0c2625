#pragma once

#include "heapprofile.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hs {

// Rebuilds a heap profile from the store's named columns, taking one whole column at a time
// and writing each value straight into its row: the profile is never held a second time as
// 64-bit columns (on a large recording that copy was 22 MB of fresh pages, most of a load).
class HeapColumnReader
{
public:
    // References are checked against `stacks` stacks and `frames` frames.
    HeapColumnReader(size_t stacks, size_t frames);

    // One column's values in row order; names the profile does not know are skipped (a newer
    // writer's extra field).
    void column(std::string_view name, const std::vector<uint64_t>& values);
    // Checks every reference; `damage` names what is wrong, or stays empty. Without any
    // column the profile is empty.
    HeapProfile finish(std::string& damage);

private:
    // A struct array filled field by field: the first field sets its length.
    struct Table
    {
        const char* name;
        size_t fields; // how many the struct has
        size_t seen = 0;
        size_t rows = 0;
    };
    template <typename Rows, typename Set>
    void fill(Table& table, Rows& rows, const std::vector<uint64_t>& values, Set set);

    size_t m_stacks;
    size_t m_frames;
    HeapProfile m_heap;
    Table m_costs{"cost", 8};
    Table m_locations{"location", 1};
    Table m_intervals{"interval", 8};
    Table m_bucketCosts{"bucket_cost", 6};
    Table m_sizes{"size", 2};
    bool m_any = false;
    bool m_widthSeen = false;
    bool m_ok = true;
    std::string m_damage;
};

} // namespace hs
