#include "heaptrackparser.h"

#include "heaptrackstream.h"
#include "hserror.h"

namespace hs {

namespace {

// heaptrack's numbers: lower-case hex, no prefix, ended by a space or the end of the field.
bool readHex(std::string_view& text, uint64_t& value)
{
    size_t i = 0;
    value = 0;
    for (; i < text.size() && text[i] != ' '; ++i) {
        const char c = text[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else
            return false;
        if (i >= 16)
            return false; // more than 64 bits
        value = value << 4 | digit;
    }
    if (i == 0)
        return false;
    text.remove_prefix(i < text.size() ? i + 1 : i);
    return true;
}

} // namespace

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
        onAllocation(fields);
        break;
    case '-':
        onDeallocation(fields);
        break;
    case 'a': {
        std::string_view rest = fields;
        uint64_t size = 0;
        ++m_summary.allocationInfoLines;
        m_sizes.push_back(readHex(rest, size) ? size : 0);
        break;
    }
    case 'c': {
        std::string_view rest = fields;
        uint64_t ms = 0;
        ++m_summary.timestampLines;
        if (readHex(rest, ms)) {
            m_now = ms;
            m_summary.lastTimestampMs = ms;
        }
        break;
    }
    case 'R': {
        std::string_view rest = fields;
        uint64_t pages = 0;
        ++m_summary.rssLines;
        if (readHex(rest, pages))
            m_summary.peakRssPages = std::max(m_summary.peakRssPages, pages);
        break;
    }
    case 's':
        ++m_summary.stringLines;
        break;
    case 'i':
        ++m_summary.ipLines;
        break;
    case 't':
        ++m_summary.traceLines;
        break;
    case 'v': {
        std::string_view rest = fields;
        uint64_t version = 0, format = 1; // a file without the field is format 1
        if (readHex(rest, version))
            m_summary.heaptrackVersion = static_cast<uint32_t>(version);
        if (!rest.empty())
            readHex(rest, format);
        m_summary.fileFormat = static_cast<int>(format);
        break;
    }
    case 'X':
        m_summary.debuggee = std::string(fields);
        break;
    case 'I': {
        std::string_view rest = fields;
        readHex(rest, m_summary.pageSize) && readHex(rest, m_summary.physicalPages);
        break;
    }
    case 'S':
        m_summary.suppressions.emplace_back(fields);
        break;
    case 'A':
        m_summary.attached = true;
        resetTotals();
        break;
    default:
        ++m_summary.unknownLines;
        break;
    }
}

void HeaptrackParser::onAllocation(std::string_view fields)
{
    uint64_t info = 0;
    if (!readHex(fields, info) || info >= m_sizes.size()) {
        ++m_summary.unparsableEventLines;
        return;
    }
    const uint64_t size = m_sizes[info];
    ++m_summary.allocations;
    m_summary.allocatedBytes += size;
    m_current += size;
    if (m_current > m_summary.peakBytes) {
        m_summary.peakBytes = m_current;
        m_summary.peakTimeMs = m_now;
    }
    m_lastInfo = info;
}

void HeaptrackParser::onDeallocation(std::string_view fields)
{
    uint64_t info = 0;
    if (!readHex(fields, info) || info >= m_sizes.size()) {
        ++m_summary.unparsableEventLines;
        return;
    }
    ++m_summary.deallocations;
    m_current -= m_sizes[info];
    // heaptrack compares allocation-info indices, and its "last" marker is reset to 0, which is
    // a valid index too: reproduced on purpose so the figure matches heaptrack_print.
    if (info == m_lastInfo)
        ++m_summary.temporary;
    m_lastInfo = 0;
}

void HeaptrackParser::resetTotals()
{
    m_summary.allocations = m_summary.deallocations = m_summary.temporary = 0;
    m_summary.allocatedBytes = m_summary.peakBytes = m_summary.peakTimeMs = 0;
    m_current = 0;
}

HeaptrackSummary HeaptrackParser::finish()
{
    m_summary.leakedBytes = m_current;
    return m_summary;
}

HeaptrackSummary HeaptrackParser::summarise(std::string_view fileBytes, const std::string& fileName)
{
    HeaptrackStream stream(fileBytes, fileName);
    HeaptrackParser parser;
    std::string buffer;
    size_t decompressed = 0;
    bool first = true;
    while (true) {
        const size_t before = buffer.size();
        const bool more = stream.read(buffer, size_t(4) << 20);
        decompressed += buffer.size() - before;
        if (first && !buffer.empty()) {
            if (!buffer.starts_with("v "))
                throw Error(fileName + ": not a heaptrack recording (no version line)");
            first = false;
        }
        size_t start = 0;
        for (size_t nl = buffer.find('\n'); nl != std::string::npos;
             nl = buffer.find('\n', start)) {
            parser.feed(std::string_view(buffer).substr(start, nl - start));
            start = nl + 1;
        }
        buffer.erase(0, start);
        if (!more)
            break;
    }
    if (first)
        throw Error(fileName + (stream.truncation().empty()
                                    ? ": the recording is empty"
                                    : ": the recording is cut before its first line (" +
                                          stream.truncation() + ")"));
    HeaptrackSummary summary = parser.finish();
    summary.decompressedBytes = decompressed;
    if (!stream.truncation().empty()) {
        summary.complete = false;
        summary.truncation = stream.truncation();
    }
    if (!buffer.empty()) { // a last line without its newline was cut: it is not counted
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
