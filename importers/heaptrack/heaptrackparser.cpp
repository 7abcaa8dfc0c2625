#include "heaptrackparser.h"

#include "heaptrackhex.h"
#include "heaptrackreader.h"
#include "heaptrackstream.h"
#include "hserror.h"

#include <algorithm>
#include <bit>
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
        m_timeline.reset(m_current, m_infos);
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

namespace {

// An event's allocation-info index, read with word operations: the up to 8 hex digits after
// "+ " and the newline ending them are found and converted without a branch per character.
// Returns false when the 8 bytes at `q` are not 1-8 lowercase hex digits and a newline.
bool readIndex8(const char* q, uint64_t& value, size_t& digits)
{
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    uint64_t w;
    std::memcpy(&w, q, 8);
    const uint64_t x = w ^ (kOnes * '\n');
    const uint64_t newline = (x - kOnes) & ~x & kHigh;
    if (newline == 0)
        return false;
    digits = static_cast<size_t>(std::countr_zero(newline)) / 8;
    if (digits == 0)
        return false;
    const uint64_t mask = digits == 8 ? ~0ull : (uint64_t(1) << (8 * digits)) - 1;
    w &= mask;
    const auto atLeast = [&](unsigned char lo) { return (w + kOnes * (128 - lo)) & kHigh; };
    const auto above = [&](unsigned char hi) { return (w + kOnes * (127 - hi)) & kHigh; };
    const uint64_t hex = (atLeast('0') & ~above('9')) | (atLeast('a') & ~above('f'));
    if ((w & kHigh) != 0 || hex != (kHigh & mask))
        return false;
    uint64_t v = (w & (kOnes * 0x0f)) + 9 * ((w >> 6) & kOnes); // one digit per byte
    v = __builtin_bswap64(v) >> (8 * (8 - digits));             // first digit highest
    v = (v | (v >> 4)) & 0x00ff00ff00ff00ffull;
    v = (v | (v >> 8)) & 0x0000ffff0000ffffull;
    value = (v | (v >> 16)) & 0xffffffffull;
    return true;
}

} // namespace

size_t HeaptrackParser::feedText(std::string_view text)
{
    // Nearly every line is "+ INFO" or "- INFO": those are read in place; anything else goes
    // through feed().
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end) {
        uint64_t info = 0;
        size_t digits = 0;
        if ((*p == '+' || *p == '-') && end - p >= 10 && p[1] == ' ' &&
            readIndex8(p + 2, info, digits) && info < m_infos.size()) {
            ++m_summary.lines;
            if (*p == '+')
                onAllocation(info);
            else
                onDeallocation(info);
            p += 3 + digits;
            continue;
        }
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(end - p)));
        if (!nl)
            break;
        feed(std::string_view(p, size_t(nl - p)));
        p = nl + 1;
    }
    return size_t(p - text.data());
}

void HeaptrackParser::resetTotals()
{
    m_summary.allocations = m_summary.deallocations = m_summary.temporary = 0;
    m_summary.allocatedBytes = m_summary.peakBytes = m_summary.peakTimeMs = 0;
    m_current = 0;
    for (InfoCost& cost : m_infos)
        cost.allocations = cost.temporary = cost.frees = cost.live = cost.peakLive = 0;
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

bool HeaptrackParser::suppressed(uint32_t trace) const
{
    const auto matches = [&](uint32_t string) {
        return string != 0 && m_suppressions.matches(m_symbols.string(string));
    };
    for (const auto* node = m_symbols.trace(trace); node; node = m_symbols.trace(node->parent)) {
        const HeaptrackSymbols::Ip* ip = m_symbols.ip(node->ip);
        if (!ip)
            continue;
        if (matches(ip->module))
            return true;
        for (const auto& frame : ip->frames) {
            if (matches(frame.function) || matches(frame.file))
                return true;
        }
    }
    return false;
}

HeaptrackSummary HeaptrackParser::finish()
{
    m_summary.leakedBytes = m_current;
    m_summary.suppressedBytes = 0;
    // Sites share traces: each trace is matched against the suppressions once.
    std::vector<int8_t> traceSuppressed(m_symbols.traceCount() + 1, -1);
    m_infoSuppressed.assign(m_infos.size(), false);
    for (size_t i = 0; i < m_infos.size(); ++i) {
        const uint32_t trace = m_infoTraces[i];
        const uint32_t t = trace < traceSuppressed.size() ? trace : 0;
        if (traceSuppressed[t] < 0)
            traceSuppressed[t] = suppressed(trace) ? 1 : 0;
        m_infoSuppressed[i] = traceSuppressed[t] == 1;
        if (m_infoSuppressed[i])
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
                                       HeaptrackParser& parser)
{
    HeaptrackReader reader(fileBytes, fileName);
    std::string chunk, partial; // partial: a line begun in an earlier chunk
    size_t decompressed = 0;
    bool first = true;
    while (reader.next(chunk)) {
        decompressed += chunk.size();
        if (first) {
            if (!chunk.starts_with("v "))
                throw Error(fileName + ": not a heaptrack recording (no version line)");
            first = false;
        }
        std::string_view text = chunk;
        if (!partial.empty()) {
            const size_t nl = text.find('\n');
            partial.append(text.substr(0, nl == std::string_view::npos ? text.size() : nl + 1));
            if (nl == std::string_view::npos)
                continue;
            parser.feedText(partial);
            partial.clear();
            text.remove_prefix(nl + 1);
        }
        partial.assign(text.substr(parser.feedText(text)));
    }
    if (first)
        throw Error(fileName + (reader.truncation().empty()
                                    ? ": the recording is empty"
                                    : ": the recording is cut before its first line (" +
                                          reader.truncation() + ")"));
    HeaptrackSummary summary = parser.finish();
    summary.decompressedBytes = decompressed;
    if (!reader.truncation().empty()) {
        summary.complete = false;
        summary.truncation = reader.truncation();
    }
    if (!partial.empty()) { // a last line without its newline was cut: it is not counted
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
