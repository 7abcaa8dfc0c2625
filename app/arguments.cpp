#include "arguments.h"

#include <charconv>

namespace hs {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& flags,
                     const std::set<std::string>& valued)
{
    bool optionsEnded = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (optionsEnded || a.size() < 2 || a[0] != '-') {
            m_positional.push_back(a);
            continue;
        }
        if (a == "--") {
            optionsEnded = true;
            continue;
        }
        std::string name = a, inlineValue;
        bool hasInline = false;
        if (const auto eq = a.find('='); a.starts_with("--") && eq != std::string::npos) {
            name = a.substr(0, eq);
            inlineValue = a.substr(eq + 1);
            hasInline = true;
        }
        if (flags.count(name) && !hasInline) {
            m_flags.insert(name);
        } else if (valued.count(name)) {
            if (!hasInline) {
                if (i + 1 >= args.size())
                    throw UsageError{"option " + name + " needs a value"};
                inlineValue = args[++i];
            }
            m_values[name] = inlineValue;
        } else {
            throw UsageError{"unknown option " + name};
        }
    }
}

bool Arguments::has(const std::string& name) const
{
    return m_flags.count(name) || m_values.count(name);
}

std::string Arguments::value(const std::string& name, const std::string& fallback) const
{
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

size_t Arguments::number(const std::string& name, size_t fallback) const
{
    const auto it = m_values.find(name);
    if (it == m_values.end())
        return fallback;
    size_t v = 0;
    const auto* begin = it->second.data();
    const auto* end = begin + it->second.size();
    const auto [ptr, ec] = std::from_chars(begin, end, v);
    if (ec != std::errc() || ptr != end || begin == end)
        throw UsageError{"option " + name + " needs a non-negative whole number, not '" +
                         it->second + "'"};
    return v;
}

std::optional<std::pair<int64_t, int64_t>> Arguments::timeRange() const
{
    if (!has("--time-range"))
        return std::nullopt;
    const std::string v = value("--time-range");
    const size_t colon = v.find(':');
    const auto parse = [](const std::string& s, int64_t& out) {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 15)
            return false;
        out = std::stoll(s);
        return true;
    };
    int64_t from = 0, to = 0;
    if (colon == std::string::npos || !parse(v.substr(0, colon), from) ||
        !parse(v.substr(colon + 1), to) || from > to)
        throw Arguments::UsageError{"--time-range takes FROM:TO in milliseconds, FROM <= TO"};
    return std::make_pair(from, to);
}

} // namespace hs
