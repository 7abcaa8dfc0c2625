#pragma once

#include "profiledata.h"

#include <string>

namespace hs {

// Writes a ProfileData as a .heapscope file. The file appears at `path` complete or not at all:
// it is written beside it under a temporary name, synced, then renamed over the target.
class StoreWriter
{
public:
    static void write(const ProfileData& data, const std::string& path);

    // The temporary file being written right now, or an empty string. A signal handler may
    // unlink() it (the buffer is static and always NUL-terminated).
    static const char* activeTempFile();
};

} // namespace hs
