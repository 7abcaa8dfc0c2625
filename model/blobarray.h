#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hs {

// Bulk arrays (frames, stacks, costs) are stored as little-endian blobs in blocks of rows, so
// reopening a file with millions of stacks is a few memory copies rather than millions of
// SQLite rows.
namespace blobarray {

static_assert(std::endian::native == std::endian::little, "blobs are little-endian arrays");

inline constexpr size_t kBlockRows = 65536;

template <typename T>
void append(std::string& blob, T value)
{
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    blob.append(bytes, sizeof(T));
}

template <typename T>
T at(std::string_view blob, size_t index)
{
    T value;
    std::memcpy(&value, blob.data() + index * sizeof(T), sizeof(T));
    return value;
}

template <typename T>
bool fits(std::string_view blob, size_t count)
{
    return blob.size() == count * sizeof(T);
}

} // namespace blobarray
} // namespace hs
