#include "timelinecolumns.h"

#include <bit>

namespace hs {

namespace {

using Sample = RecorderTimeline::Sample;
using Field = uint64_t (*)(const Sample&);
using SetField = void (*)(Sample&, uint64_t);

struct Column
{
    const char* name;
    Field get;
    SetField set;
};

// One place that names every field, for writing and reading alike.
const Column kColumns[] = {
    {"sample.time_ms", [](const Sample& s) { return std::bit_cast<uint64_t>(s.timeMs); },
     [](Sample& s, uint64_t v) { s.timeMs = std::bit_cast<double>(v); }},
    {"sample.traced_current", [](const Sample& s) { return s.tracedCurrent; },
     [](Sample& s, uint64_t v) { s.tracedCurrent = v; }},
    {"sample.traced_peak", [](const Sample& s) { return s.tracedPeak; },
     [](Sample& s, uint64_t v) { s.tracedPeak = v; }},
    {"sample.rss_bytes", [](const Sample& s) { return s.rssBytes; },
     [](Sample& s, uint64_t v) { s.rssBytes = v; }},
    {"sample.gc_count0", [](const Sample& s) { return s.gcCount[0]; },
     [](Sample& s, uint64_t v) { s.gcCount[0] = v; }},
    {"sample.gc_count1", [](const Sample& s) { return s.gcCount[1]; },
     [](Sample& s, uint64_t v) { s.gcCount[1] = v; }},
    {"sample.gc_count2", [](const Sample& s) { return s.gcCount[2]; },
     [](Sample& s, uint64_t v) { s.gcCount[2] = v; }},
    {"sample.gc_collections0", [](const Sample& s) { return s.gcCollections[0]; },
     [](Sample& s, uint64_t v) { s.gcCollections[0] = v; }},
    {"sample.gc_collections1", [](const Sample& s) { return s.gcCollections[1]; },
     [](Sample& s, uint64_t v) { s.gcCollections[1] = v; }},
    {"sample.gc_collections2", [](const Sample& s) { return s.gcCollections[2]; },
     [](Sample& s, uint64_t v) { s.gcCollections[2] = v; }},
};

} // namespace

void visitTimelineColumns(const RecorderTimeline& timeline, const HeapColumnVisitor& visit)
{
    if (timeline.samples.empty())
        return;
    std::vector<uint64_t> values(timeline.samples.size());
    for (const Column& c : kColumns) {
        for (size_t k = 0; k < values.size(); ++k)
            values[k] = c.get(timeline.samples[k]);
        visit(c.name, values);
    }
}

void timelineFromColumns(const HeapColumns& columns, RecorderTimeline& timeline,
                         std::string& damage)
{
    timeline.samples.clear();
    const auto first = columns.find(kColumns[0].name);
    if (first == columns.end())
        return;
    timeline.samples.resize(first->second.size());
    for (const Column& c : kColumns) {
        const auto it = columns.find(c.name);
        if (it == columns.end() || it->second.size() != timeline.samples.size()) {
            damage = std::string("timeline columns of different lengths (") + c.name + ")";
            timeline.samples.clear();
            return;
        }
        for (size_t k = 0; k < it->second.size(); ++k)
            c.set(timeline.samples[k], it->second[k]);
    }
}

} // namespace hs
