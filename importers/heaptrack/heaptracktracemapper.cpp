#include "heaptracktracemapper.h"

#include <cstdio>

namespace hs {

namespace {
bool isOperatorNewName(std::string_view function)
{
    return function == "operator new(unsigned long)" ||
           function == "operator new[](unsigned long)" ||
           function == "operator new(unsigned int)" || function == "operator new[](unsigned int)";
}
} // namespace

HeaptrackTraceMapper::HeaptrackTraceMapper(HeaptrackSymbols& symbols, ProfileBuilder& builder)
    : m_symbols(symbols), m_builder(builder), m_stringOf(symbols.stringCount(), kNoIndex),
      m_operatorNew(symbols.ipCount(), -1), m_ipFrames(symbols.ipCount(), {kNoIndex, 0})
{}

bool HeaptrackTraceMapper::isOperatorNew(uint32_t ipIndex)
{
    // heaptrack looks at an address's first frame, the innermost one.
    if (ipIndex >= m_operatorNew.size())
        return false;
    if (m_operatorNew[ipIndex] < 0) {
        const auto* ip = m_symbols.ip(ipIndex);
        m_operatorNew[ipIndex] = ip && !ip->frames.empty() &&
                                 isOperatorNewName(m_symbols.string(ip->frames.front().function));
    }
    return m_operatorNew[ipIndex] == 1;
}

uint32_t HeaptrackTraceMapper::siteTrace(uint32_t trace)
{
    while (const auto* node = m_symbols.trace(trace)) {
        if (!isOperatorNew(node->ip))
            break;
        trace = node->parent;
    }
    return m_symbols.trace(trace) ? trace : 0;
}

void HeaptrackTraceMapper::mapAll()
{
    m_symbols.mapTraces(kNoIndex, [&](uint32_t parentStack, uint32_t ip) {
        return isOperatorNew(ip) ? parentStack : appendIp(parentStack, ip);
    });
}

uint32_t HeaptrackTraceMapper::stackOf(uint32_t trace) const
{
    const auto* node = m_symbols.trace(trace);
    return node ? node->ip : kNoIndex;
}

uint32_t HeaptrackTraceMapper::appendIp(uint32_t parent, uint32_t ipIndex)
{
    if (ipIndex >= m_ipFrames.size())
        ipIndex = 0; // an address never defined: shown as 0x0, like one without a symbol
    auto& [first, count] = m_ipFrames[ipIndex];
    if (first == kNoIndex) { // an address's frames are interned once, outermost first
        first = static_cast<uint32_t>(m_frames.size());
        const auto* ip = m_symbols.ip(ipIndex);
        const uint32_t module = ip ? string(ip->module) : kNoIndex;
        if (!ip || ip->frames.empty()) { // no symbol: heaptrack shows the address
            char address[32];
            std::snprintf(address, sizeof address, "0x%llx",
                          static_cast<unsigned long long>(ip ? ip->address : 0));
            m_frames.push_back(
                m_builder.internFrame({m_builder.internString(address), kNoIndex, 0, module}));
        } else {
            for (auto f = ip->frames.rbegin(); f != ip->frames.rend(); ++f)
                m_frames.push_back(m_builder.internFrame(
                    {string(f->function), string(f->file), static_cast<int64_t>(f->line), module}));
        }
        count = static_cast<uint32_t>(m_frames.size() - first);
    }
    for (uint32_t k = 0; k < count; ++k)
        parent = m_builder.internStack(parent, m_frames[first + k]);
    return parent;
}

uint32_t HeaptrackTraceMapper::string(uint32_t index)
{
    if (index == 0)
        return kNoIndex;
    if (index >= m_stringOf.size()) // a string that was never defined reads as empty
        return m_builder.internString("");
    if (m_stringOf[index] == kNoIndex)
        m_stringOf[index] = m_builder.internString(m_symbols.string(index));
    return m_stringOf[index];
}

} // namespace hs
