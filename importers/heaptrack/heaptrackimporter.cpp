#include "heaptrackimporter.h"

#include "flathashmap.h"
#include "heaptrackparser.h"
#include "heaptrackstream.h"

#include <cstdio>

namespace hs {

namespace {

bool isOperatorNew(std::string_view function)
{
    return function == "operator new(unsigned long)" ||
           function == "operator new[](unsigned long)" ||
           function == "operator new(unsigned int)" || function == "operator new[](unsigned int)";
}

// Maps heaptrack's trace nodes onto the builder's stack trie, each node once.
class TraceMapper
{
public:
    TraceMapper(const HeaptrackSymbols& symbols, ProfileBuilder& builder)
        : m_symbols(symbols), m_builder(builder), m_stackOf(symbols.traceCount(), kNoIndex)
    {}

    // The stack of an allocation site: its trace without the leading operator new frames.
    uint32_t siteStack(uint32_t trace)
    {
        while (const auto* node = m_symbols.trace(trace)) {
            const auto* ip = m_symbols.ip(node->ip);
            if (!ip || ip->frames.empty() ||
                !isOperatorNew(m_symbols.string(ip->frames.back().function)))
                break;
            trace = node->parent;
        }
        return stackOf(trace);
    }

private:
    uint32_t stackOf(uint32_t trace)
    {
        // Walk up to a mapped node (or the root), then map the chain down from there.
        std::vector<uint32_t> chain;
        uint32_t stack = kNoIndex;
        for (uint32_t t = trace; m_symbols.trace(t); t = m_symbols.trace(t)->parent) {
            if (m_stackOf[t] != kNoIndex) {
                stack = m_stackOf[t];
                break;
            }
            chain.push_back(t);
        }
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
            stack = appendIp(stack, m_symbols.trace(*it)->ip);
            m_stackOf[*it] = stack;
        }
        return stack;
    }

    uint32_t appendIp(uint32_t parent, uint32_t ipIndex)
    {
        const auto* ip = m_symbols.ip(ipIndex);
        const uint32_t module = ip ? string(ip->module) : kNoIndex;
        if (!ip || ip->frames.empty()) { // no symbol: heaptrack shows the address
            char address[32];
            std::snprintf(address, sizeof address, "0x%llx",
                          static_cast<unsigned long long>(ip ? ip->address : 0));
            return m_builder.internStack(
                parent,
                m_builder.internFrame({m_builder.internString(address), kNoIndex, 0, module}));
        }
        // Frames are listed innermost first; the trie goes from the caller inwards.
        for (auto f = ip->frames.rbegin(); f != ip->frames.rend(); ++f)
            parent = m_builder.internStack(
                parent, m_builder.internFrame({string(f->function), string(f->file),
                                               static_cast<int64_t>(f->line), module}));
        return parent;
    }

    uint32_t string(uint32_t index)
    {
        return index == 0 ? kNoIndex : m_builder.internString(m_symbols.string(index));
    }

    const HeaptrackSymbols& m_symbols;
    ProfileBuilder& m_builder;
    std::vector<uint32_t> m_stackOf; // by trace index; the root maps to kNoIndex
};

} // namespace

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

    TraceMapper mapper(parser.symbols(), builder);
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
