#include "heaptrackimporter.h"

#include "flathashmap.h"
#include "heaptrackparser.h"
#include "heaptrackstream.h"
#include "heaptracktracemapper.h"

namespace hs {

bool HeaptrackImporter::sniff(std::string_view head)
{
    return HeaptrackStream::detect(head).has_value();
}

uint32_t HeaptrackImporter::import(std::string_view data, const std::string& fileName,
                                   ProfileBuilder& builder, const Options& options)
{
    HeaptrackParser parser;
    parser.addSuppressions(options.suppressions);
    const HeaptrackSummary s = HeaptrackParser::read(data, fileName, parser);

    RecordingInfo rec;
    rec.kind = "heaptrack";
    rec.sourceName = fileName;
    rec.sourceSize = data.size();
    rec.commandLine = s.debuggee;
    if (!s.complete)
        rec.warnings.push_back("the recording is incomplete: " + s.truncation +
                               "; the figures cover what could be read");
    if (s.allocations == 0)
        rec.warnings.push_back("the recording holds no allocations");
    const auto number = [](uint64_t v) { return std::to_string(v); };
    rec.properties = {{"heaptrack_version", number(s.heaptrackVersion)},
                      {"file_format", number(static_cast<uint64_t>(s.fileFormat))},
                      {"allocations", number(s.allocations)},
                      {"temporary", number(s.temporary)},
                      {"allocated_bytes", number(s.allocatedBytes)},
                      {"peak_bytes", number(s.peakBytes)},
                      {"peak_time_ms", number(s.peakTimeMs)},
                      {"leaked_bytes", number(s.leakedBytes - s.suppressedBytes)},
                      {"suppressed_bytes", number(s.suppressedBytes)},
                      {"peak_rss_bytes", number(s.peakRssBytes())},
                      {"runtime_ms", number(s.runtimeMs())},
                      {"page_size", number(s.pageSize)},
                      {"physical_pages", number(s.physicalPages)},
                      {"attached", s.attached ? "1" : "0"},
                      {"complete", s.complete ? "1" : "0"}};
    const uint32_t recording = builder.addRecording(std::move(rec));

    HeaptrackTraceMapper mapper(parser.symbols(), builder);
    FlatHashMap costIndex;
    std::vector<HeapCost> costs;
    for (const auto& info : parser.infoCosts()) {
        if (info.allocations == 0)
            continue;
        uint32_t stack = mapper.siteStack(info.trace);
        if (stack == kNoIndex) // no backtrace at all: heaptrack shows "??"
            stack = builder.internStack(
                kNoIndex, builder.internFrame({builder.internString("??"), kNoIndex, 0, kNoIndex}));
        const auto next = static_cast<uint32_t>(costs.size());
        const uint32_t at = costIndex.findOrInsert(stack, next);
        if (at == next)
            costs.push_back({stack, 0, 0, 0, 0, 0});
        HeapCost& c = costs[at];
        c.allocations += info.allocations;
        c.allocatedBytes += info.allocations * info.size;
        c.temporary += info.temporary;
        c.peakBytes += info.peakLive * info.size;
        c.leakedBytes += info.live * info.size;
    }

    SnapshotInfo snapshot;
    snapshot.recording = recording;
    snapshot.label = "whole recording";
    snapshot.timeMs = static_cast<double>(s.runtimeMs());
    snapshot.totalSize = s.allocatedBytes;
    snapshot.totalCount = s.allocations;
    snapshot.python = "";
    const uint32_t index = builder.addSnapshot(std::move(snapshot));
    builder.setHeapCosts(index, std::move(costs));
    return index;
}

} // namespace hs
