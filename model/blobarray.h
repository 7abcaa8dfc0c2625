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

// A block of a named column (schema 4+) keeps each value in the fewest bytes (1, 2, 4 or 8)
// that hold the block's largest value; the width is the blob's size over the row count.
inline std::string packNarrow(const uint64_t* values, size_t n)
{
    uint64_t max = 0;
    for (size_t k = 0; k < n; ++k)
        max |= values[k];
    const size_t width = max < (1u << 8) ? 1 : max < (1u << 16) ? 2 : max >> 32 == 0 ? 4 : 8;
    std::string blob(n * width, '\0');
    char* out = blob.data();
    for (size_t k = 0; k < n; ++k, out += width)
        std::memcpy(out, &values[k], width); // little-endian: the low bytes come first
    return blob;
}

// Appends a block's values; false if the blob is not n values of one of the widths (only 8
// when `narrowAllowed` is false: older files).
inline bool unpackNarrow(std::string_view blob, size_t n, bool narrowAllowed,
                         std::vector<uint64_t>& out)
{
    if (n == 0)
        return blob.empty();
    const size_t width = blob.size() / n;
    if (blob.size() % n != 0 ||
        (width != 8 && !(narrowAllowed && (width == 1 || width == 2 || width == 4))))
        return false;
    const size_t at = out.size();
    out.resize(at + n);
    // One loop per width: a memcpy of a run-time size per value would be a call per value.
    const auto widen = [&]<typename T>(T) {
        for (size_t k = 0; k < n; ++k) {
            T v;
            std::memcpy(&v, blob.data() + k * sizeof(T), sizeof(T));
            out[at + k] = v;
        }
    };
    switch (width) {
    case 1:
        widen(uint8_t());
        break;
    case 2:
        widen(uint16_t());
        break;
    case 4:
        widen(uint32_t());
        break;
    default:
        widen(uint64_t());
        break;
    }
    return true;
}

} // namespace blobarray
} // namespace hs
