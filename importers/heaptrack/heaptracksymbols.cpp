#include "heaptracksymbols.h"

#include "heaptrackhex.h"

namespace hs {

bool HeaptrackSymbols::addString(std::string_view fields, int fileFormat)
{
    if (m_strings.empty())
        m_strings.emplace_back();
    if (fileFormat < 3) { // before format 3 a string is the rest of the line
        m_strings.emplace_back(fields);
        return true;
    }
    uint64_t length = 0;
    std::string_view rest = fields;
    if (!heaptrackhex::read(rest, length) || length != rest.size()) {
        m_strings.emplace_back(); // keep the numbering
        return false;
    }
    m_strings.emplace_back(rest);
    return true;
}

bool HeaptrackSymbols::addIp(std::string_view fields)
{
    Ip ip;
    uint64_t module = 0;
    bool ok = heaptrackhex::read(fields, ip.address) && heaptrackhex::read(fields, module);
    ip.module = static_cast<uint32_t>(module);
    // Then (function [file line]) of the real function, or inlined triples ending with it.
    while (ok && !fields.empty()) {
        Frame f;
        uint64_t function = 0, file = 0;
        ok = heaptrackhex::read(fields, function);
        if (ok && !fields.empty())
            ok = heaptrackhex::read(fields, file) && heaptrackhex::read(fields, f.line);
        f.function = static_cast<uint32_t>(function);
        f.file = static_cast<uint32_t>(file);
        ip.frames.push_back(f);
    }
    m_ips.push_back(ok ? std::move(ip) : Ip{});
    return ok;
}

bool HeaptrackSymbols::addTrace(std::string_view fields)
{
    uint64_t ip = 0, parent = 0;
    const bool ok = heaptrackhex::read(fields, ip) && heaptrackhex::read(fields, parent) &&
                    parent < m_traces.size(); // parents come first: no cycles
    m_traces.push_back(ok ? TraceNode{static_cast<uint32_t>(ip), static_cast<uint32_t>(parent)}
                          : TraceNode{});
    return ok;
}

std::string_view HeaptrackSymbols::string(uint32_t index) const
{
    return index < m_strings.size() ? std::string_view(m_strings[index]) : std::string_view();
}

const HeaptrackSymbols::Ip* HeaptrackSymbols::ip(uint32_t index) const
{
    return index > 0 && index < m_ips.size() ? &m_ips[index] : nullptr;
}

const HeaptrackSymbols::TraceNode* HeaptrackSymbols::trace(uint32_t index) const
{
    return index > 0 && index < m_traces.size() ? &m_traces[index] : nullptr;
}

} // namespace hs
