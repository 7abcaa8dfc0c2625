#include "heaptracksuppressions.h"

namespace hs {

namespace {

// Glob with '*' only, over the whole of `text`; iterative, no backtracking blow-up.
bool globMatch(std::string_view pattern, std::string_view text)
{
    size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

} // namespace

HeaptrackSuppressions::HeaptrackSuppressions()
{
    // heaptrack 1.4's built-in list: leaks of the C library and GLib that are not the program's.
    for (const char* name :
         {"__nss_module_allocate", "__gconv_read_conf", "__new_exitfn", "tzset_internal",
          "dl_open_worker", "g_main_context_new", "g_thread_self"})
        add(name);
}

void HeaptrackSuppressions::add(std::string pattern)
{
    std::string_view p = pattern;
    const bool anchoredStart = p.starts_with('^');
    const bool anchoredEnd = p.ends_with('$') && p.size() > 1;
    if (anchoredStart)
        p.remove_prefix(1);
    if (anchoredEnd)
        p.remove_suffix(1);
    m_globs.push_back((anchoredStart ? "" : "*") + std::string(p) + (anchoredEnd ? "" : "*"));
    m_patterns.push_back(std::move(pattern));
}

void HeaptrackSuppressions::addLine(std::string_view line)
{
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
        line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
        line.remove_suffix(1);
    if (!line.starts_with("leak:") || line.size() == 5)
        return;
    add(std::string(line.substr(5)));
}

bool HeaptrackSuppressions::matches(std::string_view name) const
{
    for (const std::string& glob : m_globs) {
        if (globMatch(glob, name))
            return true;
    }
    return false;
}

} // namespace hs
