#include "heaptrackstream.h"

#include "hserror.h"

#include <cstring>
#include <zlib.h>
#include <zstd.h>

namespace hs {

struct HeaptrackStream::Codec
{
    ZSTD_DStream* zstd = nullptr;
    z_stream gzip = {};
    bool gzipReady = false;

    ~Codec()
    {
        ZSTD_freeDStream(zstd);
        if (gzipReady)
            inflateEnd(&gzip);
    }
};

std::optional<HeaptrackStream::Compression> HeaptrackStream::detect(std::string_view head)
{
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(head[i]); };
    if (head.size() >= 4 && byte(0) == 0x28 && byte(1) == 0xB5 && byte(2) == 0x2F &&
        byte(3) == 0xFD)
        return Compression::Zstd;
    // A skippable zstd frame (0x184D2A50..5F) may come first.
    if (head.size() >= 4 && (byte(0) & 0xF0) == 0x50 && byte(1) == 0x2A && byte(2) == 0x4D &&
        byte(3) == 0x18)
        return Compression::Zstd;
    if (head.size() >= 2 && byte(0) == 0x1F && byte(1) == 0x8B)
        return Compression::Gzip;
    if (head.starts_with("v "))
        return Compression::None;
    return std::nullopt;
}

HeaptrackStream::HeaptrackStream(std::string_view data, std::string fileName)
    : m_data(data), m_fileName(std::move(fileName)), m_codec(std::make_unique<Codec>())
{
    const auto compression = detect(data.substr(0, 16));
    if (!compression)
        throw Error(m_fileName + ": not a heaptrack recording (unknown compression)");
    m_compression = *compression;
    if (m_compression == Compression::Zstd) {
        m_codec->zstd = ZSTD_createDStream();
        if (!m_codec->zstd || ZSTD_isError(ZSTD_initDStream(m_codec->zstd)))
            throw Error(m_fileName + ": cannot start zstd decompression");
    } else if (m_compression == Compression::Gzip) {
        if (inflateInit2(&m_codec->gzip, 15 + 32) != Z_OK) // 32: read gzip headers
            throw Error(m_fileName + ": cannot start gzip decompression");
        m_codec->gzipReady = true;
    }
}

HeaptrackStream::~HeaptrackStream() = default;

bool HeaptrackStream::read(std::string& out, size_t max)
{
    const size_t start = out.size();
    out.resize(start + max);
    size_t produced = 0;
    const bool more = read(out.data() + start, max, produced);
    out.resize(start + produced);
    return more;
}

bool HeaptrackStream::read(char* out, size_t max, size_t& produced)
{
    produced = 0;
    if (m_ended)
        return false;
    switch (m_compression) {
    case Compression::Zstd:
        return readZstd(out, max, produced);
    case Compression::Gzip:
        return readGzip(out, max, produced);
    case Compression::None:
    default: {
        produced = std::min(max, m_data.size() - m_pos);
        std::memcpy(out, m_data.data() + m_pos, produced);
        m_pos += produced;
        m_ended = m_pos == m_data.size();
        return produced > 0;
    }
    }
}

bool HeaptrackStream::readZstd(char* out, size_t max, size_t& produced)
{
    ZSTD_outBuffer output{out, max, 0};
    while (output.pos < output.size) {
        ZSTD_inBuffer input{m_data.data(), m_data.size(), m_pos};
        const size_t before = output.pos;
        const size_t inputBefore = input.pos;
        const size_t ret = ZSTD_decompressStream(m_codec->zstd, &output, &input);
        m_pos = input.pos;
        if (ZSTD_isError(ret)) {
            m_ended = true;
            m_truncation = std::string("the zstd data is damaged (") + ZSTD_getErrorName(ret) +
                           ") near compressed byte " + std::to_string(m_pos);
            break;
        }
        const bool progress = output.pos != before || input.pos != inputBefore;
        if (progress)
            m_inFrame = ret != 0; // 0: a frame was completely decoded and flushed
        if (m_pos == m_data.size() && !progress) {
            m_ended = true; // all input used and nothing more to flush
            if (m_inFrame)
                m_truncation = "the zstd data ends inside a frame, at compressed byte " +
                               std::to_string(m_pos);
            break;
        }
    }
    produced = output.pos;
    return output.pos > 0 || !m_ended;
}

bool HeaptrackStream::readGzip(char* out, size_t max, size_t& produced)
{
    z_stream& zs = m_codec->gzip;
    while (produced < max) {
        if (m_pos == m_data.size() && zs.avail_in == 0) {
            m_ended = true;
            if (zs.total_in > 0) // inside a member whose end was never seen
                m_truncation = "the gzip data ends inside a member, at compressed byte " +
                               std::to_string(m_pos);
            break;
        }
        if (zs.avail_in == 0) {
            const size_t chunk = std::min<size_t>(m_data.size() - m_pos, 1u << 30);
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(m_data.data() + m_pos));
            zs.avail_in = static_cast<uInt>(chunk);
            m_pos += chunk;
        }
        zs.next_out = reinterpret_cast<Bytef*>(out + produced);
        zs.avail_out = static_cast<uInt>(std::min<size_t>(max - produced, 1u << 30));
        const uInt before = zs.avail_out;
        const int ret = inflate(&zs, Z_NO_FLUSH);
        produced += before - zs.avail_out;
        if (ret == Z_STREAM_END) {
            // Another member may follow; a clean end needs nothing more.
            const bool more = zs.avail_in > 0 || m_pos < m_data.size();
            if (!more) {
                m_ended = true;
                break;
            }
            inflateReset(&zs);
            zs.total_in = 0;
        } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            m_ended = true;
            m_truncation = std::string("the gzip data is damaged (") + (zs.msg ? zs.msg : "?") +
                           ") near compressed byte " + std::to_string(m_pos - zs.avail_in);
            break;
        } else if (ret == Z_BUF_ERROR && zs.avail_in == 0 && m_pos == m_data.size()) {
            m_ended = true;
            m_truncation =
                "the gzip data ends inside a member, at compressed byte " + std::to_string(m_pos);
            break;
        }
    }
    return produced > 0 || !m_ended;
}

} // namespace hs
