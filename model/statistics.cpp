#include "statistics.h"

#include "flathashmap.h"
#include "hserror.h"

#include <algorithm>
#include <unordered_map>

namespace hs {

namespace {

// Python compares Traceback keys as tuples of (filename, lineno) in Traceback order.
bool keyLess(const std::vector<StatFrame>& a, const std::vector<StatFrame>& b, TracebackOrder order)
{
    const size_t n = std::min(a.size(), b.size());
    for (size_t k = 0; k < n; ++k) {
        const size_t i = order == TracebackOrder::MostRecentFirst ? k : a.size() - 1 - k;
        const size_t j = order == TracebackOrder::MostRecentFirst ? k : b.size() - 1 - k;
        // Interned: the same file name is the same bytes at the same address.
        if (a[i].file.data() != b[j].file.data()) {
            if (const int c = a[i].file.compare(b[j].file); c != 0)
                return c < 0;
        }
        if (a[i].line != b[j].line)
            return a[i].line < b[j].line;
    }
    return a.size() < b.size();
}

uint64_t addChecked(uint64_t a, uint64_t b)
{
    uint64_t r;
    if (__builtin_add_overflow(a, b, &r))
        throw Error("a statistic exceeds 64 bits");
    return r;
}

// Groups costs by key. Group identities are small integers derived from the data's own ids.
class Grouper
{
public:
    Grouper(const ProfileData& data, GroupBy by) : m_data(data), m_by(by) {}

    void add(const StackCost& cost, bool cumulative)
    {
        if (!cumulative || m_by == GroupBy::Traceback) {
            addTo(groupOf(cost.stack), cost.size, cost.count);
            return;
        }
        // Every frame of the traceback counts, repeated frames once per occurrence.
        for (uint32_t s = cost.stack; s != kNoIndex; s = m_data.stacks[s].parent)
            addTo(groupOf(s), cost.size, cost.count);
    }

    std::vector<StatRow> take() { return std::move(m_rows); }

private:
    uint32_t groupOf(uint32_t stack)
    {
        uint64_t key;
        const Frame& frame = m_data.frames[m_data.stacks[stack].frame];
        switch (m_by) {
        case GroupBy::Traceback:
            key = stack;
            break;
        case GroupBy::Filename:
            key = frame.file;
            break;
        case GroupBy::Lineno:
        default:
            // Frames are unique per (file, line) for Python data; key by value to be safe.
            key = m_data.stacks[stack].frame;
            break;
        }
        const auto next = static_cast<uint32_t>(m_rows.size());
        const uint32_t group = m_groups.findOrInsert(key, next);
        if (group == next)
            m_rows.push_back(makeRow(stack));
        return group;
    }

    StatRow makeRow(uint32_t stack) const
    {
        StatRow row;
        if (m_by == GroupBy::Traceback) {
            for (uint32_t s = stack; s != kNoIndex; s = m_data.stacks[s].parent)
                row.frames.push_back(frameAt(s));
        } else {
            row.frames.push_back(frameAt(stack));
            if (m_by == GroupBy::Filename)
                row.frames.back().line = 0;
        }
        return row;
    }

    StatFrame frameAt(uint32_t stack) const
    {
        const Frame& f = m_data.frames[m_data.stacks[stack].frame];
        return {f.file == kNoIndex ? std::string_view() : std::string_view(m_data.strings[f.file]),
                f.line};
    }

    void addTo(uint32_t group, uint64_t size, uint64_t count)
    {
        m_rows[group].size = addChecked(m_rows[group].size, size);
        m_rows[group].count = addChecked(m_rows[group].count, count);
    }

    const ProfileData& m_data;
    GroupBy m_by;
    FlatHashMap m_groups;
    std::vector<StatRow> m_rows;
};

std::vector<StatRow> groupedRows(const ProfileData& data, uint32_t snapshot, GroupBy by,
                                 bool cumulative)
{
    if (snapshot >= data.snapshots.size())
        throw Error("no snapshot " + std::to_string(snapshot));
    Grouper grouper(data, by);
    for (const auto& cost : data.snapshots[snapshot].costs)
        grouper.add(cost, cumulative);
    std::vector<StatRow> rows = grouper.take();
    if (by == GroupBy::Lineno) {
        // Distinct frames may share (file, line) when they differ in function or module.
        std::sort(rows.begin(), rows.end(), [](const StatRow& a, const StatRow& b) {
            return keyLess(a.frames, b.frames, TracebackOrder::OldestFirst);
        });
        std::vector<StatRow> merged;
        for (auto& r : rows) {
            if (!merged.empty() && merged.back().frames[0].file == r.frames[0].file &&
                merged.back().frames[0].line == r.frames[0].line) {
                merged.back().size = addChecked(merged.back().size, r.size);
                merged.back().count = addChecked(merged.back().count, r.count);
            } else {
                merged.push_back(std::move(r));
            }
        }
        rows = std::move(merged);
    }
    return rows;
}

// A byte string that identifies a key by value across files.
std::string keyString(const StatRow& row)
{
    std::string k;
    for (const auto& f : row.frames) {
        const uint64_t n = f.file.size();
        k.append(reinterpret_cast<const char*>(&n), sizeof n);
        k.append(f.file);
        k.append(reinterpret_cast<const char*>(&f.line), sizeof f.line);
    }
    return k;
}

int64_t signedDiff(uint64_t newer, uint64_t older)
{
    const uint64_t magnitude = newer >= older ? newer - older : older - newer;
    if (magnitude > static_cast<uint64_t>(INT64_MAX))
        throw Error("a difference exceeds 64 bits");
    return newer >= older ? static_cast<int64_t>(magnitude) : -static_cast<int64_t>(magnitude);
}

uint64_t absDiff(int64_t d)
{
    return d < 0 ? static_cast<uint64_t>(-d) : static_cast<uint64_t>(d);
}

} // namespace

std::vector<StatRow> computeStatistics(const ProfileData& data, uint32_t snapshot, GroupBy by,
                                       bool cumulative)
{
    std::vector<StatRow> rows = groupedRows(data, snapshot, by, cumulative);
    const TracebackOrder order = data.snapshots[snapshot].info.order;
    std::sort(rows.begin(), rows.end(), [order](const StatRow& a, const StatRow& b) {
        if (a.size != b.size)
            return a.size > b.size;
        if (a.count != b.count)
            return a.count > b.count;
        return keyLess(b.frames, a.frames, order);
    });
    return rows;
}

std::vector<StatRow> compareStatistics(const ProfileData& olderData, uint32_t older,
                                       const ProfileData& newerData, uint32_t newer, GroupBy by,
                                       bool cumulative)
{
    std::vector<StatRow> oldRows = groupedRows(olderData, older, by, cumulative);
    std::vector<StatRow> rows = groupedRows(newerData, newer, by, cumulative);
    std::unordered_map<std::string, uint32_t> newIndex;
    newIndex.reserve(rows.size());
    for (uint32_t i = 0; i < rows.size(); ++i)
        newIndex.emplace(keyString(rows[i]), i);
    // Sizes of the older snapshot per row of `rows` (0 where the group is new).
    std::vector<std::pair<uint64_t, uint64_t>> olderCosts(rows.size(), {0, 0});
    for (auto& o : oldRows) {
        auto it = newIndex.find(keyString(o));
        if (it != newIndex.end()) {
            olderCosts[it->second] = {o.size, o.count};
        } else {
            StatRow gone;
            gone.frames = std::move(o.frames);
            rows.push_back(std::move(gone));
            olderCosts.emplace_back(o.size, o.count);
        }
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        rows[i].sizeDiff = signedDiff(rows[i].size, olderCosts[i].first);
        rows[i].countDiff = signedDiff(rows[i].count, olderCosts[i].second);
    }
    const TracebackOrder order = newerData.snapshots[newer].info.order;
    std::sort(rows.begin(), rows.end(), [order](const StatRow& a, const StatRow& b) {
        const uint64_t as = absDiff(a.sizeDiff), bs = absDiff(b.sizeDiff);
        if (as != bs)
            return as > bs;
        if (a.size != b.size)
            return a.size > b.size;
        const uint64_t ac = absDiff(a.countDiff), bc = absDiff(b.countDiff);
        if (ac != bc)
            return ac > bc;
        if (a.count != b.count)
            return a.count > b.count;
        return keyLess(b.frames, a.frames, order);
    });
    return rows;
}

const char* groupByName(GroupBy by)
{
    switch (by) {
    case GroupBy::Filename:
        return "filename";
    case GroupBy::Traceback:
        return "traceback";
    case GroupBy::Lineno:
    default:
        return "lineno";
    }
}

bool parseGroupBy(std::string_view name, GroupBy& by)
{
    if (name == "lineno")
        by = GroupBy::Lineno;
    else if (name == "filename")
        by = GroupBy::Filename;
    else if (name == "traceback")
        by = GroupBy::Traceback;
    else
        return false;
    return true;
}

} // namespace hs
