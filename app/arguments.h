#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hs {

// Minimal option parsing for the subcommands: "--name value", "--name=value", "-o value",
// boolean flags and positional arguments. Throws UsageError with a one-line message.
class Arguments
{
public:
    struct UsageError
    {
        std::string message;
    };

    Arguments(const std::vector<std::string>& args, const std::set<std::string>& flags,
              const std::set<std::string>& valued);

    bool has(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    // A non-negative integer option; UsageError when it is not one.
    size_t number(const std::string& name, size_t fallback) const;
    // --time-range FROM:TO in whole milliseconds, FROM <= TO; nothing when not given.
    std::optional<std::pair<int64_t, int64_t>> timeRange() const;
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positional;
};

} // namespace hs
