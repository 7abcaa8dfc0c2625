#pragma once

#include "profiledata.h"

#include <cstdio>
#include <string>

namespace hs {

// Standard output could not be written (a closed pipe, a full disk): exit code 3.
struct OutputFailure
{
    std::string message;
};

inline void writeOut(const std::string& text)
{
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout))
        throw OutputFailure{"cannot write to standard output"};
}

// Text output says on stderr what an input lacks (a cut file, dropped data); JSON carries the
// same warnings in its "source".
inline void warnAbout(const ProfileData& data)
{
    for (const auto& r : data.recordings)
        for (const auto& w : r.warnings)
            std::fprintf(stderr, "heapscope: %s: warning: %s\n", r.sourceName.c_str(), w.c_str());
}

} // namespace hs
