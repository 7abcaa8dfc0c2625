#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hs {

// LeakSanitizer-style "leak:PATTERN" suppressions as heaptrack applies them: a pattern matches a
// name when found in it as a substring, with '*' matching any run of characters and a leading
// '^' / trailing '$' anchoring it. heaptrack's built-in list is always included.
class HeaptrackSuppressions
{
public:
    HeaptrackSuppressions();

    // One line of a suppression file or of an S record; anything but "leak:..." is ignored.
    void addLine(std::string_view line);
    bool matches(std::string_view name) const;
    const std::vector<std::string>& patterns() const { return m_patterns; }

private:
    void add(std::string pattern);

    std::vector<std::string> m_patterns;
    std::vector<std::string> m_globs; // each pattern as a whole-name glob, built once
};

} // namespace hs
