#include "hsrreader.h"

#include "hserror.h"

#include <zlib.h>

namespace hs {

namespace {

constexpr std::string_view kMagic("\x89HSR\r\n\x1a\n", 8);
constexpr uint8_t kVersion = 1;

} // namespace

bool HsrReader::sniff(std::string_view head)
{
    return head.starts_with(kMagic);
}

HsrReader::HsrReader(std::string_view data, std::string fileName)
    : m_data(data), m_fileName(std::move(fileName))
{
    if (!sniff(data))
        throw Error(m_fileName + ": not a heapscope recorder file (no .hsr signature)");
    if (data.size() < kMagic.size() + 1)
        throw Error(m_fileName + ": the recording is cut before its version byte");
    const auto version = static_cast<uint8_t>(data[kMagic.size()]);
    if (version != kVersion)
        throw Error(m_fileName + ": .hsr format version " + std::to_string(version) +
                    " is not supported (this heapscope reads version " + std::to_string(kVersion) +
                    ")");
    m_pos = kMagic.size() + 1;
}

bool HsrReader::next(uint8_t& type, std::string_view& payload)
{
    if (m_pos == m_data.size() || !m_truncation.empty())
        return false;
    m_recordOffset = m_pos;
    const auto cut = [&](const std::string& why) {
        m_truncation = why + " at byte " + std::to_string(m_recordOffset);
        return false;
    };
    size_t pos = m_pos;
    const auto tag = static_cast<uint8_t>(m_data[pos++]);
    uint64_t length = 0;
    for (int shift = 0;; shift += 7) {
        if (pos >= m_data.size())
            return cut("the file ends inside a record header");
        const auto byte = static_cast<uint8_t>(m_data[pos++]);
        if (shift > 56)
            return cut("a record length is malformed");
        length |= uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
    }
    if (length > kMaxPayload)
        return cut("a record claims " + std::to_string(length) + " bytes (more than " +
                   std::to_string(kMaxPayload >> 20) + " MiB)");
    if (length > m_data.size() - pos)
        return cut("the file ends inside a record");
    payload = m_data.substr(pos, length);
    m_pos = pos + length;
    type = tag & 0x7f;
    if (!(tag & 0x80))
        return true;
    // A compressed payload, inflated with a ceiling so that a bomb cannot take the memory.
    z_stream zs{};
    if (inflateInit(&zs) != Z_OK)
        throw Error(m_fileName + ": zlib could not be initialised");
    m_inflated.resize(std::min<size_t>(std::max<size_t>(length * 4, 4096), kMaxInflated));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(payload.data()));
    zs.avail_in = static_cast<uInt>(payload.size());
    size_t produced = 0;
    int ret = Z_OK;
    while (true) {
        if (produced == m_inflated.size()) {
            if (m_inflated.size() >= kMaxInflated) {
                inflateEnd(&zs);
                return cut("a record inflates to more than " + std::to_string(kMaxInflated >> 20) +
                           " MiB");
            }
            m_inflated.resize(std::min(m_inflated.size() * 2, kMaxInflated));
        }
        zs.next_out = reinterpret_cast<Bytef*>(m_inflated.data() + produced);
        zs.avail_out = static_cast<uInt>(m_inflated.size() - produced);
        ret = inflate(&zs, Z_FINISH);
        produced = m_inflated.size() - zs.avail_out;
        if (ret == Z_STREAM_END)
            break;
        if (ret != Z_OK && !(ret == Z_BUF_ERROR && zs.avail_out == 0)) {
            inflateEnd(&zs);
            return cut("a compressed record is damaged");
        }
    }
    inflateEnd(&zs);
    payload = std::string_view(m_inflated.data(), produced);
    return true;
}

} // namespace hs
