#pragma once

// Helpers shared by the heaptrack suites: the recordings under tests/data/heaptrack, their
// text through heapscope's own reader, and recompressing it.

#include "heaptrackstream.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>
#include <string>
#include <string_view>
#include <zlib.h>
#include <zstd.h>

namespace hstest {

inline QString heaptrackDir()
{
    return QStringLiteral(HEAPSCOPE_TEST_DATA "/heaptrack");
}

inline QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline std::string_view view(const QByteArray& b)
{
    return {b.constData(), size_t(b.size())};
}

// The whole text of a recording, through our own reader.
inline QByteArray decompress(const QByteArray& file)
{
    hs::HeaptrackStream stream(view(file), "x");
    std::string out;
    while (stream.read(out, 1 << 20)) {
    }
    return QByteArray::fromStdString(out);
}

inline QByteArray zstdFrames(const QList<QByteArray>& parts)
{
    QByteArray out;
    for (const QByteArray& p : parts) {
        QByteArray frame(int(ZSTD_compressBound(size_t(p.size()))), '\0');
        const size_t n =
            ZSTD_compress(frame.data(), size_t(frame.size()), p.constData(), size_t(p.size()), 3);
        out += frame.left(int(n));
    }
    return out;
}

inline QByteArray gzipMembers(const QList<QByteArray>& parts)
{
    QByteArray out;
    for (const QByteArray& p : parts) {
        z_stream zs = {};
        deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY); // 16: gzip wrapper
        QByteArray member(int(deflateBound(&zs, uLong(p.size()))), '\0');
        zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(p.constData()));
        zs.avail_in = uInt(p.size());
        zs.next_out = reinterpret_cast<Bytef*>(member.data());
        zs.avail_out = uInt(member.size());
        deflate(&zs, Z_FINISH);
        out += member.left(int(zs.total_out));
        deflateEnd(&zs);
    }
    return out;
}

} // namespace hstest
