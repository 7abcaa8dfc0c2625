#pragma once

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

} // namespace hs
