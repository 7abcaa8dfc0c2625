#pragma once

#include "heaptracksuppressions.h"
#include "heaptracksymbols.h"

#include <cstdint>
#include <vector>

namespace hs {

// Whether a leak suppression matches an allocation site's backtrace (any module, function or
// file name of any of its frames). Each string, address and trace node is looked at once,
// whatever the number of sites sharing them.
class HeaptrackSiteMatcher
{
public:
    HeaptrackSiteMatcher(const HeaptrackSymbols& symbols, const HeaptrackSuppressions& rules);

    bool matches(uint32_t trace);

private:
    bool stringMatches(uint32_t string);
    bool ipMatches(uint32_t ip);

    const HeaptrackSymbols& m_symbols;
    const HeaptrackSuppressions& m_rules;
    std::vector<int8_t> m_strings, m_ips, m_traces; // -1 unknown, 0 no, 1 yes
};

} // namespace hs
