#include "store.h"

#include "blobarray.h"
#include "filehead.h"
#include "graphcolumns.h"
#include "heapcolumnreader.h"
#include "heapcolumns.h"
#include "hserror.h"
#include "schema.h"
#include "sqlitedb.h"
#include "sqlitestatement.h"
#include "stackmerge.h"
#include "timelinecolumns.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <sys/stat.h>

namespace hs {

namespace {

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// Rows are written with ids 0..n-1; anything else means the file was edited or damaged.
void checkId(const SqliteDb& db, int64_t id, size_t expected, const char* table)
{
    if (id != static_cast<int64_t>(expected))
        throw Error(db.path() + ": damaged heapscope file: unexpected id in table " + table);
}

} // namespace

bool Store::looksLikeStore(const std::string& path)
{
    static const char magic[] = "SQLite format 3";
    const auto head = readRegularFileHead(path, sizeof magic);
    return head && head->size() == sizeof magic &&
           std::memcmp(head->data(), magic, sizeof magic) == 0;
}

bool Store::isHeapscopeFile(const std::string& path)
{
    try {
        Store store(path);
        return true;
    } catch (const Error&) {
        return false;
    }
}

Store::Store(const std::string& path)
{
    struct stat st = {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(path + ": cannot open: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw Error(path + ": not a regular file");
    if (!looksLikeStore(path))
        throw Error(path + ": not a heapscope file (no SQLite header)");
    m_db = std::make_unique<SqliteDb>(path, SqliteDb::Mode::ReadOnly);
    try {
        m_version = static_cast<int>(m_db->queryInt("PRAGMA user_version"));
    } catch (const Error&) {
        throw Error(path + ": not a heapscope file (the SQLite database cannot be read)");
    }
    std::string format;
    try {
        SqliteStatement stmt(*m_db, "SELECT value FROM meta WHERE key = 'format'");
        if (stmt.step())
            format = stmt.text(0);
    } catch (const Error&) {
    }
    if (format != schema::kFormatName)
        throw Error(path + ": an SQLite database, but not a heapscope file");
    if (m_version > schema::kVersion)
        throw Error(path + ": written by a newer heapscope (schema version " +
                    std::to_string(m_version) + "; this heapscope reads up to version " +
                    std::to_string(schema::kVersion) + ")");
    if (m_version < 1)
        throw Error(path + ": unknown heapscope schema version " + std::to_string(m_version));
}

Store::~Store() = default;

ProfileData Store::loadSnapshotList() const
{
    ProfileData data;
    SqliteDb& db = *m_db;
    {
        SqliteStatement s(db, "SELECT id, kind, source_name, source_size, source_sha256, "
                              "command_line, imported_at, warnings FROM recording ORDER BY id");
        while (s.step()) {
            checkId(db, s.int64(0), data.recordings.size(), "recording");
            RecordingInfo r;
            r.kind = s.text(1);
            r.sourceName = s.text(2);
            r.sourceSize = static_cast<uint64_t>(s.int64(3));
            r.sourceSha256 = s.text(4);
            r.commandLine = s.text(5);
            r.importedAt = s.text(6);
            r.warnings = splitLines(s.text(7));
            data.recordings.push_back(std::move(r));
        }
    }
    {
        SqliteStatement s(db, "SELECT id, recording_id, label, time_ms, traceback_limit, "
                              "total_size, total_count, truncated_count, traceback_order, python, "
                              "protocol FROM snapshot ORDER BY id");
        while (s.step()) {
            checkId(db, s.int64(0), data.snapshots.size(), "snapshot");
            SnapshotInfo i;
            i.recording = static_cast<uint32_t>(s.int64(1));
            if (i.recording >= data.recordings.size())
                throw Error(db.path() + ": damaged heapscope file: snapshot without recording");
            i.label = s.text(2);
            i.timeMs = s.isNull(3) ? -1 : s.real(3);
            i.tracebackLimit = s.int64(4);
            i.totalSize = static_cast<uint64_t>(s.int64(5));
            i.totalCount = static_cast<uint64_t>(s.int64(6));
            i.truncatedCount = static_cast<uint64_t>(s.int64(7));
            i.order =
                s.int64(8) == 1 ? TracebackOrder::MostRecentFirst : TracebackOrder::OldestFirst;
            i.python = s.text(9);
            i.protocol = static_cast<int>(s.int64(10));
            data.snapshots.push_back({std::move(i), {}, {}, {}, {}});
        }
    }
    {
        SqliteStatement s(db, "SELECT recording_id, key, value FROM recording_property "
                              "ORDER BY recording_id, key");
        while (s.step()) {
            const auto rec = static_cast<uint64_t>(s.int64(0));
            if (rec >= data.recordings.size())
                throw Error(db.path() + ": damaged heapscope file: property of no recording");
            data.recordings[rec].properties.emplace_back(s.text(1), s.text(2));
        }
    }
    return data;
}

namespace {
// The stack rows the file's blocks claim, each block bounded to a block's size.
size_t storedStackCount(SqliteDb& db)
{
    return static_cast<size_t>(std::max<int64_t>(
        0, db.queryInt("SELECT coalesce(sum(min(max(count, 0), 65536)), 0) FROM stack_block")));
}
} // namespace

ProfileData Store::load() const
{
    return load(Parts{});
}

ProfileData Store::load(Parts parts) const
{
    ProfileData data = loadSnapshotList();
    loadBulk(*m_db, m_version, data, parts);
    return data;
}

void Store::loadBulk(SqliteDb& db, int version, ProfileData& data, Parts parts)
{
    {
        SqliteStatement s(db, "SELECT id, value FROM string ORDER BY id");
        while (s.step()) {
            checkId(db, s.int64(0), data.strings.size(), "string");
            data.strings.emplace_back(s.blob(1));
        }
    }
    const auto damaged = [&](const char* what) {
        throw Error(db.path() + ": damaged heapscope file: " + what);
    };
    const auto checkString = [&](uint32_t index) {
        if (index != kNoIndex && index >= data.strings.size())
            damaged("a frame names a missing string");
    };
    {
        SqliteStatement s(db, "SELECT first, count, function_ids, file_ids, lines, module_ids "
                              "FROM frame_block ORDER BY first");
        while (s.step()) {
            const auto n = static_cast<size_t>(s.int64(1));
            const auto fn = s.blob(2), file = s.blob(3), line = s.blob(4), mod = s.blob(5);
            if (s.int64(0) != static_cast<int64_t>(data.frames.size()) ||
                n > blobarray::kBlockRows || !blobarray::fits<uint32_t>(fn, n) ||
                !blobarray::fits<uint32_t>(file, n) || !blobarray::fits<int64_t>(line, n) ||
                !blobarray::fits<uint32_t>(mod, n))
                damaged("malformed frame block");
            for (size_t k = 0; k < n; ++k) {
                const Frame f{blobarray::at<uint32_t>(fn, k), blobarray::at<uint32_t>(file, k),
                              blobarray::at<int64_t>(line, k), blobarray::at<uint32_t>(mod, k)};
                checkString(f.function);
                checkString(f.file);
                checkString(f.module);
                data.frames.push_back(f);
            }
        }
    }
    if (parts.stacks) {
        const bool hasMerged = version >= 5;
        // Reserved once: growing 1.5M-row arrays by doubling costs a copy and fresh pages
        // each time (the bound holds whatever the file claims).
        const size_t rows = storedStackCount(db);
        data.stacks.reserve(rows);
        if (hasMerged)
            data.mergedStacks.reserve(rows);
        SqliteStatement s(db, hasMerged ? "SELECT first, count, parent_ids, frame_ids, merged_ids "
                                          "FROM stack_block ORDER BY first"
                                        : "SELECT first, count, parent_ids, frame_ids, NULL "
                                          "FROM stack_block ORDER BY first");
        while (s.step()) {
            const auto n = static_cast<size_t>(s.int64(1));
            const auto parents = s.blob(2), frames = s.blob(3), merged = s.blob(4);
            if (s.int64(0) != static_cast<int64_t>(data.stacks.size()) ||
                n > blobarray::kBlockRows || !blobarray::fits<uint32_t>(parents, n) ||
                !blobarray::fits<uint32_t>(frames, n) ||
                (hasMerged && !blobarray::fits<uint32_t>(merged, n)))
                damaged("malformed stack block");
            for (size_t k = 0; hasMerged && k < n; ++k)
                data.mergedStacks.push_back(blobarray::at<uint32_t>(merged, k));
            for (size_t k = 0; k < n; ++k) {
                const StackNode node{blobarray::at<uint32_t>(parents, k),
                                     blobarray::at<uint32_t>(frames, k)};
                // Parents precede children, so walking up always ends at a root.
                if ((node.parent != kNoIndex && node.parent >= data.stacks.size()) ||
                    node.frame >= data.frames.size())
                    damaged("broken call-stack tree");
                data.stacks.push_back(node);
            }
        }
        // Older files are merged once here. Stored ids are checked where a call tree uses
        // them (a mapping that does not fit the stacks is recomputed there, never trusted).
        if (!hasMerged)
            data.mergedStacks = mergeStacks(data);
    }
    if (parts.stacks) {
        SqliteStatement s(db, "SELECT snapshot_id, first, count, stack_ids, domains, sizes, "
                              "counts, truncated FROM cost_block ORDER BY snapshot_id, first");
        while (s.step()) {
            const auto snap = static_cast<uint64_t>(s.int64(0));
            const auto n = static_cast<size_t>(s.int64(2));
            const auto stacks = s.blob(3), domains = s.blob(4), sizes = s.blob(5),
                       counts = s.blob(6), truncated = s.blob(7);
            if (snap >= data.snapshots.size())
                damaged("costs of a missing snapshot");
            auto& costs = data.snapshots[snap].costs;
            if (s.int64(1) != static_cast<int64_t>(costs.size()) || n > blobarray::kBlockRows ||
                !blobarray::fits<uint32_t>(stacks, n) || !blobarray::fits<uint32_t>(domains, n) ||
                !blobarray::fits<uint64_t>(sizes, n) || !blobarray::fits<uint64_t>(counts, n) ||
                !blobarray::fits<uint64_t>(truncated, n))
                damaged("malformed cost block");
            for (size_t k = 0; k < n; ++k) {
                const StackCost c{
                    blobarray::at<uint32_t>(stacks, k), blobarray::at<uint32_t>(domains, k),
                    blobarray::at<uint64_t>(sizes, k), blobarray::at<uint64_t>(counts, k),
                    blobarray::at<uint64_t>(truncated, k)};
                if (c.stack >= data.stacks.size())
                    damaged("cost of a missing stack");
                costs.push_back(c);
            }
        }
    }
    if (version < 2)
        return; // version 1 files hold no heap profiles
    // Named column tables, by owner (snapshot or recording). Each column is handed to `take`
    // whole, in one reused buffer: a profile is never held a second time as 64-bit columns.
    const auto readColumns = [&](const char* table, size_t owners, const auto& take,
                                 const char* skip = nullptr) {
        const std::string where = skip ? std::string(" WHERE name NOT GLOB '") + skip + "*'" : "";
        SqliteStatement s(
            db,
            (std::string("SELECT * FROM ") + table + where + " ORDER BY 1, name, first").c_str());
        std::vector<uint64_t> values;
        uint64_t owner = 0;
        std::string name;
        bool open = false;
        while (s.step()) {
            const auto at = static_cast<uint64_t>(s.int64(0));
            if (at >= owners)
                damaged("columns of something that does not exist");
            std::string rowName = s.text(1);
            if (!open || at != owner || rowName != name) {
                if (open)
                    take(owner, name, values);
                values.clear();
                owner = at;
                name = std::move(rowName);
                open = true;
            }
            const auto n = static_cast<size_t>(s.int64(3));
            if (s.int64(2) != static_cast<int64_t>(values.size()) || n > blobarray::kBlockRows ||
                !blobarray::unpackNarrow(s.blob(4), n, version >= 4, values))
                damaged("malformed column block");
        }
        if (open)
            take(owner, name, values);
    };
    // Without the trie, stack ids are checked against the number of stacks the file holds,
    // so that a query sized by them stays bounded as with the trie loaded.
    const size_t stackBound = parts.stacks ? data.stacks.size() : storedStackCount(db);
    std::vector<HeapColumnReader> heaps(data.snapshots.size(),
                                        HeapColumnReader(stackBound, data.frames.size()));
    readColumns(
        "heap_column_block", heaps.size(),
        [&](uint64_t owner, const std::string& name, const std::vector<uint64_t>& values) {
            heaps[owner].column(name, values);
        },
        parts.timeBuckets ? nullptr : "bucket_cost.");
    for (size_t i = 0; i < heaps.size(); ++i) {
        std::string damage;
        data.snapshots[i].heap = heaps[i].finish(damage);
        if (!damage.empty())
            damaged(damage.c_str());
    }
    const auto intoMap = [](std::vector<HeapColumns>& columns) {
        return [&columns](uint64_t owner, const std::string& name,
                          const std::vector<uint64_t>& values) { columns[owner][name] = values; };
    };
    if (version < 3)
        return; // no object graphs or recorder timelines before version 3
    std::vector<HeapColumns> graphs(parts.stacks ? data.snapshots.size() : 0);
    if (parts.stacks)
        readColumns("graph_column_block", graphs.size(), intoMap(graphs));
    for (size_t i = 0; i < graphs.size(); ++i) {
        std::string damage;
        graphFromColumns(graphs[i], data.strings.size(), data.stacks.size(),
                         data.snapshots[i].graph, data.snapshots[i].analysis, damage);
        if (!damage.empty())
            damaged(damage.c_str());
    }
    std::vector<HeapColumns> timelines(data.recordings.size());
    readColumns("recording_column_block", timelines.size(), intoMap(timelines));
    for (size_t i = 0; i < timelines.size(); ++i) {
        std::string damage;
        timelineFromColumns(timelines[i], data.recordings[i].timeline, damage);
        if (!damage.empty())
            damaged(damage.c_str());
    }
    SqliteStatement s(db, "SELECT recording_id, id, time_ms, label, flags FROM "
                          "recorder_checkpoint ORDER BY recording_id, id");
    while (s.step()) {
        const auto rec = static_cast<uint64_t>(s.int64(0));
        if (rec >= data.recordings.size())
            damaged("a checkpoint of a missing recording");
        data.recordings[rec].timeline.checkpoints.push_back({static_cast<uint32_t>(s.int64(1)),
                                                             s.real(2), s.text(3),
                                                             static_cast<uint32_t>(s.int64(4))});
    }
}

} // namespace hs
