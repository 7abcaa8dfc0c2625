#include "heaptrackparser.h"

#include "heaptrackhex.h"
#include "heaptrackreader.h"
#include "heaptracksitematcher.h"
#include "heaptrackstream.h"
#include "hserror.h"

#include <algorithm>
#include <cstring>

namespace hs {

void HeaptrackParser::feed(std::string_view line)
{
    ++m_summary.lines;
    if (line.empty() || line[0] == '#') {
        // heaptrack_interpret ends every recording it finishes with these counts.
        if (line.starts_with("# strings:"))
            m_sawTrailer = true;
        return;
    }
    const char type = line[0];
    const std::string_view fields = line.size() > 2 ? line.substr(2) : std::string_view();
    switch (type) {
    case '+':
    case '-': {
        // An event naming an info that was never defined is skipped, as heaptrack does.
        std::string_view rest = fields;
        uint64_t info = 0;
        if (!heaptrackhex::read(rest, info) || info >= m_infos.size())
            ++m_summary.unparsableEventLines;
        else if (type == '+')
            onAllocation(info);
        else
            onDeallocation(info);
        break;
    }
    case 'a': {
        std::string_view rest = fields;
        uint64_t size = 0, trace = 0;
        ++m_summary.allocationInfoLines;
        InfoCost info;
        if (heaptrackhex::read(rest, size) && heaptrackhex::read(rest, trace))
            info.size = size;
        else
            trace = 0;
        m_infos.push_back(info);
        m_infoTraces.push_back(static_cast<uint32_t>(trace));
        m_timeline.addInfo();
        break;
    }
    case 'c': {
        std::string_view rest = fields;
        uint64_t ms = 0;
        ++m_summary.timestampLines;
        if (heaptrackhex::read(rest, ms)) {
            m_now = ms;
            m_summary.lastTimestampMs = ms;
            m_timeline.timestamp(static_cast<int64_t>(ms), m_current, m_infos);
        }
        break;
    }
    case 'R': {
        std::string_view rest = fields;
        uint64_t pages = 0;
        ++m_summary.rssLines;
        if (heaptrackhex::read(rest, pages)) {
            m_summary.peakRssPages = std::max(m_summary.peakRssPages, pages);
            m_timeline.rss(pages);
        }
        break;
    }
    case 's':
        ++m_summary.stringLines;
        m_symbols.addString(fields, m_summary.fileFormat);
        break;
    case 'i':
        ++m_summary.ipLines;
        m_symbols.addIp(fields);
        break;
    case 't':
        ++m_summary.traceLines;
        m_symbols.addTrace(fields);
        break;
    case 'v': {
        std::string_view rest = fields;
        uint64_t version = 0, format = 1; // a file without the field is format 1
        if (heaptrackhex::read(rest, version))
            m_summary.heaptrackVersion = static_cast<uint32_t>(version);
        if (!rest.empty())
            heaptrackhex::read(rest, format);
        m_summary.fileFormat = static_cast<int>(format);
        break;
    }
    case 'X':
        m_summary.debuggee = std::string(fields);
        break;
    case 'I': {
        std::string_view rest = fields;
        heaptrackhex::read(rest, m_summary.pageSize) &&
            heaptrackhex::read(rest, m_summary.physicalPages);
        break;
    }
    case 'S': {
        // Format 3 writes the rule with its length first, as it writes strings. (heaptrack_print
        // 1.4 reads the whole payload and rejects it; heapscope applies the rule as meant.)
        std::string_view rule = fields, rest = fields;
        uint64_t length = 0;
        if (m_summary.fileFormat >= 3 && heaptrackhex::read(rest, length) && length == rest.size())
            rule = rest;
        m_summary.suppressions.emplace_back(rule);
        m_suppressions.addLine(rule);
        break;
    }
    case 'A':
        m_summary.attached = true;
        resetTotals();
        m_timeline.reset(m_current);
        break;
    default:
        ++m_summary.unknownLines;
        break;
    }
}

// The hot path: every + and - line ends here.
[[gnu::always_inline]] inline void HeaptrackParser::touch(InfoCost& cost, uint64_t info)
{
    if (cost.peakStamp != m_peakEpoch) {
        cost.peakStamp = m_peakEpoch;
        m_dirtyList.push_back(static_cast<uint32_t>(info));
    }
    if (cost.bucketStamp != m_timeline.stamp()) {
        cost.bucketStamp = m_timeline.stamp();
        m_timeline.touched(static_cast<uint32_t>(info));
    }
}

[[gnu::always_inline]] inline void HeaptrackParser::onAllocation(uint64_t info)
{
    InfoCost& cost = m_infos[info];
    ++m_summary.allocations;
    m_summary.allocatedBytes += cost.size;
    m_current += cost.size;
    ++cost.allocations;
    ++cost.live;
    touch(cost, info);
    m_timeline.allocation(cost.size, m_current);
    if (m_current > m_summary.peakBytes) {
        m_summary.peakBytes = m_current;
        m_summary.peakTimeMs = m_now;
        commitPeak();
    }
    m_lastInfo = info;
}

[[gnu::always_inline]] inline void HeaptrackParser::onDeallocation(uint64_t info)
{
    InfoCost& cost = m_infos[info];
    ++m_summary.deallocations;
    // The interpreter only writes frees of blocks it saw allocated; a damaged file could still
    // free more than was allocated, which must not wrap the counts around.
    m_current -= std::min(m_current, cost.size);
    cost.live -= cost.live > 0;
    ++cost.frees;
    touch(cost, info);
    // heaptrack compares allocation-info indices, and its "last" marker is reset to 0, which is
    // a valid index too: reproduced on purpose so the figure matches heaptrack_print.
    const bool temporary = info == m_lastInfo;
    if (temporary) {
        ++m_summary.temporary;
        ++cost.temporary;
    }
    m_timeline.deallocation(cost.size, temporary);
    m_lastInfo = 0;
}

void HeaptrackParser::feedUnit(std::string_view text, const uint32_t* token, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        // The info of an event a few lines ahead is fetched while this one is applied: with
        // millions of infos, waiting for memory is what an event costs.
        if (i + 20 < n && (token[i + 20] & 2) == 0 && (token[i + 20] >> 2) < m_infos.size())
            __builtin_prefetch(&m_infos[token[i + 20] >> 2], 1);
        const uint32_t t = token[i];
        if ((t & 2) == 0) {
            ++m_summary.lines;
            if ((t >> 2) >= m_infos.size()) // 'a' lines in this text add infos as they come
                ++m_summary
                      .unparsableEventLines; // an info never defined: skipped, as heaptrack does
            else if (t & 1)
                onDeallocation(t >> 2);
            else
                onAllocation(t >> 2);
            continue;
        }
        // Any other line, by its offset in the text.
        const std::string_view rest = text.substr(std::min(size_t(t >> 2), text.size()));
        feed(rest.substr(0, rest.find('\n')));
    }
}

void HeaptrackParser::resetTotals()
{
    m_summary.allocations = m_summary.deallocations = m_summary.temporary = 0;
    m_summary.allocatedBytes = m_summary.peakBytes = m_summary.peakTimeMs = 0;
    m_current = 0;
    for (size_t i = 0; i < m_infos.size(); ++i) {
        InfoCost& cost = m_infos[i];
        cost.allocations = cost.temporary = cost.frees = cost.live = cost.peakLive = 0;
    }
}

void HeaptrackParser::commitPeak()
{
    // Every info whose live count changed since the last peak takes its count at this one; the
    // others already hold theirs. Each event is committed at most once: linear overall.
    for (const uint32_t info : m_dirtyList)
        m_infos[info].peakLive = m_infos[info].live;
    m_dirtyList.clear();
    ++m_peakEpoch;
}

HeaptrackSummary HeaptrackParser::finish()
{
    m_summary.leakedBytes = m_current;
    m_summary.suppressedBytes = 0;
    // Only what is still alive at the end can be a suppressed leak.
    HeaptrackSiteMatcher matcher(m_symbols, m_suppressions);
    m_infoSuppressed.assign(m_infos.size(), false);
    for (size_t i = 0; i < m_infos.size(); ++i) {
        if (m_infos[i].live == 0 || !matcher.matches(m_infoTraces[i]))
            continue;
        m_infoSuppressed[i] = true;
        m_summary.suppressedBytes += m_infos[i].live * m_infos[i].size;
    }
    m_timeline.finish(m_infos, m_intervals, m_bucketWidth, m_bucketRows);
    return m_summary;
}

void HeaptrackParser::addSuppressions(std::string_view text)
{
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        m_suppressions.addLine(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    }
}

HeaptrackSummary HeaptrackParser::summarise(std::string_view fileBytes, const std::string& fileName)
{
    HeaptrackParser parser;
    return read(fileBytes, fileName, parser);
}

HeaptrackSummary HeaptrackParser::read(std::string_view fileBytes, const std::string& fileName,
                                       HeaptrackParser& parser, bool releaseInput,
                                       Progress* progress)
{
    HeaptrackReader reader(fileBytes, fileName, releaseInput);
    HeaptrackReader::Unit unit;
    bool first = true;
    while (reader.next(unit)) {
        if (first && !unit.text().starts_with("v "))
            throw Error(fileName + ": not a heaptrack recording (no version line)");
        first = false;
        if (!unit.tokenized)
            HeaptrackReader::tokenize(unit);
        parser.feedUnit(unit.text(), unit.tokens.get(), unit.tokenCount);
        if (progress)
            progress->advance(reader.consumedInput());
    }
    if (first && !reader.cutLine().empty() && !reader.cutLine().starts_with("v "))
        throw Error(fileName + ": not a heaptrack recording (no version line)");
    if (first && reader.cutLine().empty())
        throw Error(fileName + (reader.truncation().empty()
                                    ? ": the recording is empty"
                                    : ": the recording is cut before its first line (" +
                                          reader.truncation() + ")"));
    HeaptrackSummary summary = parser.finish();
    summary.decompressedBytes = reader.decompressedBytes();
    if (!reader.truncation().empty()) {
        summary.complete = false;
        summary.truncation = reader.truncation();
    }
    if (!reader.cutLine().empty()) { // a last line without its newline was cut: not counted
        summary.complete = false;
        if (summary.truncation.empty())
            summary.truncation = "the text ends in the middle of a line";
    } else if (summary.complete && !parser.m_sawTrailer && summary.fileFormat >= 3) {
        summary.complete = false;
        summary.truncation = "the recording ends without heaptrack's closing lines";
    }
    return summary;
}

} // namespace hs
