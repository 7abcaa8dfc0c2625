#include "storewriter.h"

#include "blobarray.h"
#include "graphcolumns.h"
#include "heapcolumns.h"
#include "hserror.h"
#include "schema.h"
#include "sqlitedb.h"
#include "sqlitestatement.h"
#include "stackmerge.h"
#include "timelinecolumns.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <unistd.h>

namespace hs {

namespace {

char g_tempFile[4096] = {0};

std::string joinLines(const std::vector<std::string>& lines)
{
    std::string out;
    for (const auto& l : lines) {
        if (!out.empty())
            out += '\n';
        out += l;
    }
    return out;
}

// Writes rows [0, count) in blocks: `fill(first, n, blobs)` appends each column's values.
template <size_t Columns, typename Fill>
void writeBlocks(SqliteStatement& stmt, int firstColumn, size_t count, Fill fill)
{
    for (size_t first = 0; first < count; first += blobarray::kBlockRows) {
        const size_t n = std::min(blobarray::kBlockRows, count - first);
        std::array<std::string, Columns> blobs;
        fill(first, n, blobs);
        stmt.bind(firstColumn, static_cast<int64_t>(first));
        stmt.bind(firstColumn + 1, static_cast<int64_t>(n));
        for (size_t c = 0; c < Columns; ++c)
            stmt.bindBlob(firstColumn + 2 + static_cast<int>(c), blobs[c]);
        stmt.run();
    }
}

// Named uint64 columns of one owner (a snapshot or a recording), each in blocks of narrow
// values.
HeapColumnVisitor columnWriter(SqliteStatement& stmt, size_t owner)
{
    // Parts of one column arrive one after another: `first` continues where the last ended.
    static_assert(kColumnPart == blobarray::kBlockRows);
    return [&stmt, owner, name = std::string(), first = size_t(0)](
               const std::string& column, const std::vector<uint64_t>& values) mutable {
        if (column != name) {
            name = column;
            first = 0;
        }
        for (size_t at = 0; at < values.size(); at += blobarray::kBlockRows) {
            const size_t n = std::min(blobarray::kBlockRows, values.size() - at);
            stmt.bind(1, static_cast<int64_t>(owner));
            stmt.bindText(2, name);
            stmt.bind(3, static_cast<int64_t>(first + at));
            stmt.bind(4, static_cast<int64_t>(n));
            stmt.bindBlob(5, blobarray::packNarrow(values.data() + at, n));
            stmt.run();
        }
        first += values.size();
    };
}

void writeTables(SqliteDb& db, const ProfileData& data)
{
    db.exec(schema::ddl());
    {
        SqliteStatement meta(db, "INSERT INTO meta(key, value) VALUES(?, ?)");
        const std::pair<const char*, std::string> rows[] = {
            {"format", schema::kFormatName},
            {"schema_version", std::to_string(schema::kVersion)},
            {"writer", "heapscope"}};
        for (const auto& [k, v] : rows) {
            meta.bindText(1, k);
            meta.bindText(2, v);
            meta.run();
        }
    }
    SqliteStatement rec(db, "INSERT INTO recording VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    SqliteStatement prop(db, "INSERT OR REPLACE INTO recording_property VALUES(?, ?, ?)");
    for (size_t i = 0; i < data.recordings.size(); ++i) {
        const auto& r = data.recordings[i];
        rec.bind(1, static_cast<int64_t>(i));
        rec.bindText(2, r.kind);
        rec.bindText(3, r.sourceName);
        rec.bind(4, static_cast<int64_t>(r.sourceSize));
        rec.bindText(5, r.sourceSha256);
        rec.bindText(6, r.commandLine);
        rec.bindText(7, r.importedAt);
        rec.bindText(8, joinLines(r.warnings));
        rec.run();
        for (const auto& [key, value] : r.properties) {
            prop.bind(1, static_cast<int64_t>(i));
            prop.bindText(2, key);
            prop.bindText(3, value);
            prop.run();
        }
    }
    SqliteStatement recColumns(db, "INSERT INTO recording_column_block VALUES(?, ?, ?, ?, ?)");
    SqliteStatement checkpoint(db, "INSERT OR REPLACE INTO recorder_checkpoint "
                                   "VALUES(?, ?, ?, ?, ?)");
    for (size_t i = 0; i < data.recordings.size(); ++i) {
        const RecorderTimeline& t = data.recordings[i].timeline;
        visitTimelineColumns(t, columnWriter(recColumns, i));
        for (const auto& cp : t.checkpoints) {
            checkpoint.bind(1, static_cast<int64_t>(i));
            checkpoint.bind(2, static_cast<int64_t>(cp.id));
            checkpoint.bind(3, cp.timeMs);
            checkpoint.bindText(4, cp.label);
            checkpoint.bind(5, static_cast<int64_t>(cp.flags));
            checkpoint.run();
        }
    }
    SqliteStatement snap(db, "INSERT INTO snapshot VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SqliteStatement cost(db, "INSERT INTO cost_block VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    SqliteStatement heap(db, "INSERT INTO heap_column_block VALUES(?, ?, ?, ?, ?)");
    SqliteStatement graph(db, "INSERT INTO graph_column_block VALUES(?, ?, ?, ?, ?)");
    for (size_t i = 0; i < data.snapshots.size(); ++i) {
        const auto& s = data.snapshots[i].info;
        snap.bind(1, static_cast<int64_t>(i));
        snap.bind(2, static_cast<int64_t>(s.recording));
        snap.bindText(3, s.label);
        if (s.timeMs < 0)
            snap.bindNull(4);
        else
            snap.bind(4, s.timeMs);
        snap.bind(5, s.tracebackLimit);
        snap.bind(6, static_cast<int64_t>(s.totalSize));
        snap.bind(7, static_cast<int64_t>(s.totalCount));
        snap.bind(8, static_cast<int64_t>(s.truncatedCount));
        snap.bind(9, static_cast<int64_t>(s.order));
        snap.bindText(10, s.python);
        snap.bind(11, static_cast<int64_t>(s.protocol));
        snap.run();
        const auto& costs = data.snapshots[i].costs;
        cost.bind(1, static_cast<int64_t>(i));
        writeBlocks<5>(cost, 2, costs.size(), [&](size_t first, size_t n, auto& blobs) {
            for (size_t k = first; k < first + n; ++k) {
                blobarray::append<uint32_t>(blobs[0], costs[k].stack);
                blobarray::append<uint32_t>(blobs[1], costs[k].domain);
                blobarray::append<uint64_t>(blobs[2], costs[k].size);
                blobarray::append<uint64_t>(blobs[3], costs[k].count);
                blobarray::append<uint64_t>(blobs[4], costs[k].truncated);
            }
        });
        visitHeapColumns(data.snapshots[i].heap, columnWriter(heap, i));
        visitGraphColumns(data.snapshots[i].graph, data.snapshots[i].analysis,
                          columnWriter(graph, i));
    }
    SqliteStatement str(db, "INSERT INTO string VALUES(?, ?)");
    for (size_t i = 0; i < data.strings.size(); ++i) {
        str.bind(1, static_cast<int64_t>(i));
        str.bindBlob(2, data.strings[i]);
        str.run();
    }
    SqliteStatement frames(db, "INSERT INTO frame_block VALUES(?, ?, ?, ?, ?, ?)");
    writeBlocks<4>(frames, 1, data.frames.size(), [&](size_t first, size_t n, auto& blobs) {
        for (size_t k = first; k < first + n; ++k) {
            blobarray::append<uint32_t>(blobs[0], data.frames[k].function);
            blobarray::append<uint32_t>(blobs[1], data.frames[k].file);
            blobarray::append<int64_t>(blobs[2], data.frames[k].line);
            blobarray::append<uint32_t>(blobs[3], data.frames[k].module);
        }
    });
    const std::vector<uint32_t> merged = data.mergedStacks.size() == data.stacks.size()
                                             ? std::vector<uint32_t>()
                                             : mergeStacks(data);
    const std::vector<uint32_t>& mergedIds = merged.empty() ? data.mergedStacks : merged;
    SqliteStatement stacks(db, "INSERT INTO stack_block VALUES(?, ?, ?, ?, ?)");
    writeBlocks<3>(stacks, 1, data.stacks.size(), [&](size_t first, size_t n, auto& blobs) {
        for (size_t k = first; k < first + n; ++k) {
            blobarray::append<uint32_t>(blobs[0], data.stacks[k].parent);
            blobarray::append<uint32_t>(blobs[1], data.stacks[k].frame);
            blobarray::append<uint32_t>(blobs[2], mergedIds[k]);
        }
    });
    db.exec(("PRAGMA user_version = " + std::to_string(schema::kVersion)).c_str());
}

std::string tempNameFor(const std::string& path)
{
    std::random_device rd;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d-%08x", static_cast<int>(getpid()), rd());
    return path + suffix;
}

void syncFile(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

const char* StoreWriter::activeTempFile()
{
    return g_tempFile;
}

void StoreWriter::write(const ProfileData& data, const std::string& path)
{
    const std::string temp = tempNameFor(path);
    if (temp.size() >= sizeof g_tempFile)
        throw Error(path + ": path too long");
    std::memcpy(g_tempFile, temp.c_str(), temp.size() + 1);
    try {
        {
            SqliteDb db(temp, SqliteDb::Mode::Create);
            // The temporary file is private until the rename, so no journal is needed.
            db.exec(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 8192;");
            db.exec("BEGIN");
            writeTables(db, data);
            db.exec("COMMIT");
        }
        syncFile(temp);
        if (std::rename(temp.c_str(), path.c_str()) != 0)
            throw Error(path +
                        ": cannot rename the finished file into place: " + std::strerror(errno));
    } catch (const Error& e) {
        std::remove(temp.c_str());
        g_tempFile[0] = '\0';
        // Name the file the user asked for, not the temporary one.
        std::string message = e.what();
        for (size_t at = message.find(temp); at != std::string::npos; at = message.find(temp))
            message.replace(at, temp.size(), path);
        throw Error(message);
    } catch (...) {
        std::remove(temp.c_str());
        g_tempFile[0] = '\0';
        throw;
    }
    g_tempFile[0] = '\0';
}

} // namespace hs
