#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hs {

// The decompressed text of a heaptrack recording: zstd (any number of frames, skippable ones
// included), gzip (any number of members) or plain, recognised by magic bytes, never by name.
// A cut or damaged stream is not an error: read() returns what was complete, then stops, and
// truncation() says where the data ended.
class HeaptrackStream
{
public:
    enum class Compression
    {
        Zstd,
        Gzip,
        None
    };

    // Nothing when the bytes are not a heaptrack recording in any supported compression.
    static std::optional<Compression> detect(std::string_view head);

    HeaptrackStream(std::string_view data, std::string fileName); // throws hs::Error
    ~HeaptrackStream();
    HeaptrackStream(const HeaptrackStream&) = delete;
    HeaptrackStream& operator=(const HeaptrackStream&) = delete;

    Compression compression() const { return m_compression; }

    // Appends up to `max` bytes of text to `out`; false once the stream has ended.
    bool read(std::string& out, size_t max);
    // The same into raw memory, so that a reused buffer is not cleared first: `produced` bytes
    // were written.
    bool read(char* out, size_t max, size_t& produced);

    // How many input bytes have been used so far.
    size_t consumed() const { return m_pos; }

    // Empty for a complete stream, else why and where (compressed byte offset) it stopped.
    const std::string& truncation() const { return m_truncation; }

private:
    bool readZstd(char* out, size_t max, size_t& produced);
    bool readGzip(char* out, size_t max, size_t& produced);

    std::string_view m_data;
    std::string m_fileName;
    Compression m_compression;
    size_t m_pos = 0;
    bool m_ended = false;
    bool m_inFrame = false; // zstd: a frame was started and not finished
    std::string m_truncation;
    struct Codec;
    std::unique_ptr<Codec> m_codec;
};

} // namespace hs
