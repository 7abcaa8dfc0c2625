#include "heaptrackimporter.h"

#include "heaptrackparser.h"
#include "heaptrackstream.h"
#include "heaptracktracemapper.h"

#include <algorithm>
#include <array>
#include <future>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <map>

namespace hs {

bool HeaptrackImporter::sniff(std::string_view head)
{
    return HeaptrackStream::detect(head).has_value();
}

namespace {

// What the profile keeps of an allocation info once the events have been read: its running
// costs without the parser's bookkeeping, 40 bytes instead of a cache line.
struct SiteTotals
{
    uint64_t size, allocations, temporary, live, peakLive;
};

// heaptrack_print's merge key for a site: its innermost address's module and first frame,
// by heaptrack's own string indices (0 when unknown).
using LocationKey = std::array<uint64_t, 4>;

LocationKey locationOf(const HeaptrackSymbols& symbols, uint32_t ipIndex)
{
    const auto* ip = symbols.ip(ipIndex);
    if (!ip)
        return {0, 0, 0, 0};
    if (ip->frames.empty())
        return {ip->module, 0, 0, 0};
    const auto& f = ip->frames.front();
    return {ip->module, f.function, f.file, f.line};
}

// Indices 0..n-1 ordered by `less`, ties in index order.
template <typename Less>
std::vector<uint32_t> orderBy(size_t n, Less less)
{
    std::vector<uint32_t> order(n);
    for (size_t i = 0; i < n; ++i)
        order[i] = static_cast<uint32_t>(i);
    std::stable_sort(order.begin(), order.end(), less);
    return order;
}

HugeVector<HeapBucketCost> bucketCosts(const HeaptrackParser& parser,
                                       const std::vector<SiteTotals>& infos,
                                       const std::vector<uint32_t>& stackOfInfo)
{
    // Rows come bucket by bucket; within a bucket, infos of one stack are summed.
    HugeVector<HeapBucketCost> out;
    const auto& rows = parser.bucketRows();
    out.reserve(rows.size());                           // at most one per row
    std::vector<std::pair<uint32_t, uint32_t>> byStack; // (stack, row) of one bucket
    for (size_t first = 0; first < rows.size();) {
        size_t end = first;
        byStack.clear();
        for (; end < rows.size() && rows[end].bucket == rows[first].bucket; ++end)
            byStack.emplace_back(stackOfInfo[rows[end].info], static_cast<uint32_t>(end));
        std::sort(byStack.begin(), byStack.end());
        for (size_t k = 0; k < byStack.size(); ++k) {
            const auto& row = rows[byStack[k].second];
            if (k == 0 || byStack[k].first != byStack[k - 1].first)
                out.push_back({row.bucket, byStack[k].first, 0, 0, 0, 0});
            HeapBucketCost& c = out.back();
            const uint64_t size = infos[row.info].size;
            c.allocations += row.allocations;
            c.temporary += row.temporary;
            c.allocatedBytes += row.allocations * size;
            c.freedBytes += row.frees * size;
        }
        first = end;
    }
    return out;
}

HeapProfile heapProfile(HeaptrackParser& parser, const HeaptrackSummary& summary,
                        ProfileBuilder& builder)
{
    HeapProfile heap;
    const HeaptrackSymbols& symbols = parser.symbols();
    std::vector<SiteTotals> infos(parser.infoCosts().size());
    for (size_t i = 0; i < infos.size(); ++i) {
        const auto& c = parser.infoCosts()[i];
        infos[i] = {c.size, c.allocations, c.temporary, c.live, c.peakLive};
    }
    parser.releaseInfoCosts();
#if defined(__GLIBC__)
    ::malloc_trim(0); // freed blocks go back before the trie is built
#endif
    std::vector<uint32_t> stackOfInfo(infos.size()), locationOfInfo(infos.size());
    {
        // First each site's trace and its location, then the whole tree mapped in place: node
        // addresses become stacks.
        HeaptrackTraceMapper mapper(parser.mutableSymbols(), builder);
        std::vector<uint32_t> ipOfInfo(infos.size());
        for (size_t i = 0; i < infos.size(); ++i) {
            const uint32_t site = mapper.siteTrace(parser.infoTrace(i));
            const auto* node = symbols.trace(site);
            ipOfInfo[i] = node ? node->ip : 0;
            stackOfInfo[i] = site;
        }
        // Locations in heaptrack_print's order (by key); each remembers its first site (in
        // file order) until the stacks exist. They read the addresses only, which the mapping
        // leaves alone: both cores work.
        auto locations = std::async(std::launch::async, [&] {
            const auto order = orderBy(infos.size(), [&](uint32_t a, uint32_t b) {
                return locationOf(symbols, ipOfInfo[a]) < locationOf(symbols, ipOfInfo[b]);
            });
            LocationKey previous{};
            for (size_t k = 0; k < order.size(); ++k) {
                const LocationKey key = locationOf(symbols, ipOfInfo[order[k]]);
                if (k == 0 || key != previous)
                    heap.locations.push_back(order[k]);
                locationOfInfo[order[k]] = static_cast<uint32_t>(heap.locations.size() - 1);
                previous = key;
            }
        });
        builder.reserveStacks(symbols.traceCount()); // one stack per node, inlined frames aside
        mapper.mapAll();
        uint32_t unknown = kNoIndex; // no backtrace at all: heaptrack shows "??"
        for (size_t i = 0; i < infos.size(); ++i) {
            stackOfInfo[i] = stackOfInfo[i] == 0 ? kNoIndex : mapper.stackOf(stackOfInfo[i]);
            if (stackOfInfo[i] == kNoIndex) {
                if (unknown == kNoIndex)
                    unknown = builder.internStack(
                        kNoIndex,
                        builder.internFrame({builder.internString("??"), kNoIndex, 0, kNoIndex}));
                stackOfInfo[i] = unknown;
            }
        }
        locations.get();
    }
    parser.releaseTraces(); // every site has its stack: the tree is not needed any more
    builder.releaseStackIndex();
#if defined(__GLIBC__)
    ::malloc_trim(0); // the tree's blocks go back before the bucket costs are built
#endif

    // Time buckets per stack first, so that the parser's rows can go before the rest is built.
    // Every site with an event gets a cost row, so time buckets always map to a location.
    std::vector<bool> active(infos.size(), false);
    for (const auto& row : parser.bucketRows())
        active[row.info] = true;
    heap.bucketCosts = bucketCosts(parser, infos, stackOfInfo);
    parser.releaseBucketRows();
#if defined(__GLIBC__)
    ::malloc_trim(0);
#endif
    // The stacks are final: they are merged while the costs are summed (not earlier, when the
    // merge's tables would add to the parser's rows at the peak).
    builder.mergeAhead();

    // Each location shown as its first site's frame.
    for (uint32_t& frame : heap.locations)
        frame = builder.data().stacks[stackOfInfo[frame]].frame;

    std::map<uint64_t, uint64_t> sizes;
    size_t sites = 0; // cost rows: one per stack with an event
    for (size_t i = 0; i < infos.size(); ++i)
        sites += (infos[i].allocations || infos[i].live || active[i]) ? 1 : 0;
    heap.costs.reserve(sites); // an upper bound: sites of one stack share a row
    const auto byStack = orderBy(
        infos.size(), [&](uint32_t a, uint32_t b) { return stackOfInfo[a] < stackOfInfo[b]; });
    for (const uint32_t i : byStack) {
        const auto& info = infos[i];
        if (info.allocations == 0 && info.live == 0 && !active[i])
            continue;
        if (heap.costs.empty() || heap.costs.back().stack != stackOfInfo[i]) {
            HeapCost c;
            c.stack = stackOfInfo[i];
            c.location = locationOfInfo[i];
            heap.costs.push_back(c);
        }
        HeapCost& c = heap.costs.back();
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

    heap.intervals = parser.takeIntervals();
    for (HeapInterval& interval : heap.intervals)
        interval.rssBytes *= summary.pageSize;
    heap.bucketWidth = parser.bucketWidth();
    return heap;
}

} // namespace

uint32_t HeaptrackImporter::import(std::string_view data, const std::string& fileName,
                                   ProfileBuilder& builder, const Options& options)
{
    HeaptrackParser parser(options.timelineIntervals, options.timelineBucketRows);
    parser.addSuppressions(options.suppressions);
    const HeaptrackSummary s =
        HeaptrackParser::read(data, fileName, parser, options.releaseInput, options.progress);
    if (options.progress)
        options.progress->setStage("building call stacks");
#if defined(__GLIBC__)
    // The reader thread's chunks are freed; give their pages back before the mapping grows.
    ::malloc_trim(0);
#endif

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
