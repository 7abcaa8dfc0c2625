#include "heaptracksitematcher.h"

namespace hs {

HeaptrackSiteMatcher::HeaptrackSiteMatcher(const HeaptrackSymbols& symbols,
                                           const HeaptrackSuppressions& rules)
    : m_symbols(symbols), m_rules(rules), m_strings(symbols.stringCount(), -1),
      m_ips(symbols.ipCount(), -1), m_traces(symbols.traceCount(), -1)
{}

bool HeaptrackSiteMatcher::stringMatches(uint32_t string)
{
    if (string == 0 || string >= m_strings.size())
        return false;
    if (m_strings[string] < 0)
        m_strings[string] = m_rules.matches(m_symbols.string(string)) ? 1 : 0;
    return m_strings[string] == 1;
}

bool HeaptrackSiteMatcher::ipMatches(uint32_t index)
{
    const HeaptrackSymbols::Ip* ip = m_symbols.ip(index);
    if (!ip)
        return false;
    if (m_ips[index] < 0) {
        bool found = stringMatches(ip->module);
        for (const auto& frame : ip->frames)
            found = found || stringMatches(frame.function) || stringMatches(frame.file);
        m_ips[index] = found ? 1 : 0;
    }
    return m_ips[index] == 1;
}

bool HeaptrackSiteMatcher::matches(uint32_t trace)
{
    // Walk up to a node already decided (or the root), then decide the walked nodes downwards:
    // a node matches when its address does or its caller's node does.
    std::vector<uint32_t> chain;
    bool found = false;
    for (uint32_t t = trace; const auto* node = m_symbols.trace(t); t = node->parent) {
        if (m_traces[t] >= 0) {
            found = m_traces[t] == 1;
            break;
        }
        chain.push_back(t);
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        found = found || ipMatches(m_symbols.trace(*it)->ip);
        m_traces[*it] = found ? 1 : 0;
    }
    return found;
}

} // namespace hs
