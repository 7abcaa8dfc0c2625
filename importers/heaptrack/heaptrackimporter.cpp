#include "heaptrackimporter.h"

#include "flathashmap.h"
#include "heaptrackparser.h"
#include "heaptrackstream.h"
#include "heaptracktracemapper.h"

#include <array>
#include <map>

namespace hs {

bool HeaptrackImporter::sniff(std::string_view head)
{
    return HeaptrackStream::detect(head).has_value();
}

namespace {

// heaptrack_print's merge key for a site: its innermost address's module and first frame,
// by heaptrack's own string indices (0 when unknown).
using LocationKey = std::array<uint64_t, 4>;

LocationKey locationOf(const HeaptrackSymbols& symbols, uint32_t siteTrace)
{
    const auto* node = symbols.trace(siteTrace);
    const auto* ip = node ? symbols.ip(node->ip) : nullptr;
    if (!ip)
        return {0, 0, 0, 0};
    if (ip->frames.empty())
        return {ip->module, 0, 0, 0};
    const auto& f = ip->frames.front();
    return {ip->module, f.function, f.file, f.line};
}

std::vector<HeapBucketCost> bucketCosts(const HeaptrackParser& parser,
                                        const std::vector<uint32_t>& stackOfInfo, size_t stacks)
{
    std::vector<HeapBucketCost> out;
    // Rows come bucket by bucket: a stack's row in the current bucket, if it has one.
    std::vector<uint32_t> bucketOf(stacks, kNoIndex), rowOf(stacks, 0);
    for (const auto& row : parser.bucketRows()) {
        const auto& info = parser.infoCosts()[row.info];
        const uint32_t stack = stackOfInfo[row.info];
        if (bucketOf[stack] != row.bucket) {
            bucketOf[stack] = row.bucket;
            rowOf[stack] = static_cast<uint32_t>(out.size());
            out.push_back({row.bucket, stack, 0, 0, 0, 0});
        }
        HeapBucketCost& c = out[rowOf[stack]];
        c.allocations += row.allocations;
        c.temporary += row.temporary;
        c.allocatedBytes += row.allocations * info.size;
        c.freedBytes += row.frees * info.size;
    }
    return out;
}

HeapProfile heapProfile(const HeaptrackParser& parser, const HeaptrackSummary& summary,
                        ProfileBuilder& builder)
{
    HeapProfile heap;
    HeaptrackTraceMapper mapper(parser.symbols(), builder);
    const auto& infos = parser.infoCosts();
    std::vector<uint32_t> stackOfInfo(infos.size());
    std::map<LocationKey, uint32_t> firstInfoAt; // each location's first site, in file order
    std::vector<LocationKey> keyOfInfo(infos.size());
    for (size_t i = 0; i < infos.size(); ++i) {
        const uint32_t site = mapper.siteTrace(parser.infoTrace(i));
        uint32_t stack = mapper.stackOf(site);
        if (stack == kNoIndex) // no backtrace at all: heaptrack shows "??"
            stack = builder.internStack(
                kNoIndex, builder.internFrame({builder.internString("??"), kNoIndex, 0, kNoIndex}));
        stackOfInfo[i] = stack;
        keyOfInfo[i] = locationOf(parser.symbols(), site);
        firstInfoAt.emplace(keyOfInfo[i], static_cast<uint32_t>(i));
    }
    std::map<LocationKey, uint32_t> locationIndex;
    for (const auto& [key, info] : firstInfoAt) {
        locationIndex.emplace(key, static_cast<uint32_t>(heap.locations.size()));
        heap.locations.push_back(builder.data().stacks[stackOfInfo[info]].frame);
    }

    // Every site with an event gets a cost row, so time buckets always map to a location.
    std::vector<bool> active(infos.size(), false);
    for (const auto& row : parser.bucketRows())
        active[row.info] = true;
    FlatHashMap costIndex;
    std::map<uint64_t, uint64_t> sizes;
    for (size_t i = 0; i < infos.size(); ++i) {
        const auto& info = infos[i];
        if (info.allocations == 0 && info.live == 0 && !active[i])
            continue;
        const auto next = static_cast<uint32_t>(heap.costs.size());
        const uint32_t at = costIndex.findOrInsert(stackOfInfo[i], next);
        if (at == next) {
            HeapCost c;
            c.stack = stackOfInfo[i];
            c.location = locationIndex.at(keyOfInfo[i]);
            heap.costs.push_back(c);
        }
        HeapCost& c = heap.costs[at];
        c.allocations += info.allocations;
        c.allocatedBytes += info.allocations * info.size;
        c.temporary += info.temporary;
        c.peakBytes += info.peakLive * info.size;
        (parser.infoSuppressed(i) ? c.suppressedBytes : c.leakedBytes) += info.live * info.size;
        if (info.allocations > 0)
            sizes[info.size] += info.allocations;
    }
    for (const auto& [size, count] : sizes)
        heap.sizes.push_back({size, count});

    heap.intervals = parser.intervals();
    for (HeapInterval& interval : heap.intervals)
        interval.rssBytes *= summary.pageSize;
    heap.bucketWidth = parser.bucketWidth();
    heap.bucketCosts = bucketCosts(parser, stackOfInfo, builder.data().stacks.size());
    return heap;
}

} // namespace

uint32_t HeaptrackImporter::import(std::string_view data, const std::string& fileName,
                                   ProfileBuilder& builder, const Options& options)
{
    HeaptrackParser parser(options.timelineIntervals, options.timelineBucketRows);
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

    HeapProfile heap = heapProfile(parser, s, builder);
    SnapshotInfo snapshot;
    snapshot.recording = recording;
    snapshot.label = "whole recording";
    snapshot.timeMs = static_cast<double>(s.runtimeMs());
    snapshot.totalSize = s.allocatedBytes;
    snapshot.totalCount = s.allocations;
    snapshot.python = "";
    const uint32_t index = builder.addSnapshot(std::move(snapshot));
    builder.setHeapProfile(index, std::move(heap));
    return index;
}

} // namespace hs
