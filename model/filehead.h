#pragma once

#include <optional>
#include <string>

namespace hs {

// The first `n` bytes of a regular file, read without blocking: nothing when the path does not
// exist or is not a regular file (a FIFO, a device or a directory is never opened for reading).
std::optional<std::string> readRegularFileHead(const std::string& path, size_t n);

} // namespace hs
