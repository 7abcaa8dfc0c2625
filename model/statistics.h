#pragma once

#include "profiledata.h"

#include <string_view>
#include <vector>

namespace hs {

// The key types of tracemalloc's Snapshot.statistics() / compare_to().
enum class GroupBy
{
    Lineno,
    Filename,
    Traceback
};

struct StatFrame
{
    std::string_view file; // points into the ProfileData the row was computed from
    int64_t line = 0;
};

struct StatRow
{
    std::vector<StatFrame> frames; // most recent first; one frame (line 0) for Filename
    uint64_t size = 0;
    uint64_t count = 0;
    int64_t sizeDiff = 0; // compare only
    int64_t countDiff = 0;
};

// Snapshot.statistics(key, cumulative): groups, sums and Python's exact order.
std::vector<StatRow> computeStatistics(const ProfileData& data, uint32_t snapshot, GroupBy by,
                                       bool cumulative);

// newer.compare_to(older, key, cumulative). Keys match by value, so the snapshots may come from
// different files. Ties are ordered as the newer snapshot's Python would order them.
std::vector<StatRow> compareStatistics(const ProfileData& olderData, uint32_t older,
                                       const ProfileData& newerData, uint32_t newer, GroupBy by,
                                       bool cumulative);

const char* groupByName(GroupBy by);
bool parseGroupBy(std::string_view name, GroupBy& by);

} // namespace hs
