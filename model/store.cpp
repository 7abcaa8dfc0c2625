#include "store.h"

#include "hserror.h"
#include "schema.h"
#include "sqlitedb.h"
#include "sqlitestatement.h"

#include <cstdio>
#include <cstring>
#include <sstream>

namespace hs {

namespace {

uint32_t indexOrNone(const SqliteStatement& stmt, int column)
{
    return stmt.isNull(column) ? kNoIndex : static_cast<uint32_t>(stmt.int64(column));
}

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
    char head[sizeof magic] = {0};
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        return false;
    const size_t n = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
    return n == sizeof head && std::memcmp(head, magic, sizeof magic) == 0;
}

Store::Store(const std::string& path)
    : m_db(std::make_unique<SqliteDb>(path, SqliteDb::Mode::ReadOnly))
{
    if (!looksLikeStore(path))
        throw Error(path + ": not a heapscope file (no SQLite header)");
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

ProfileData Store::load() const
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
            i.order = s.int64(8) == 1 ? TracebackOrder::MostRecentFirst
                                      : TracebackOrder::OldestFirst;
            i.python = s.text(9);
            i.protocol = static_cast<int>(s.int64(10));
            data.snapshots.push_back({std::move(i), {}});
        }
    }
    {
        SqliteStatement s(db, "SELECT id, value FROM string ORDER BY id");
        while (s.step()) {
            checkId(db, s.int64(0), data.strings.size(), "string");
            data.strings.emplace_back(s.blob(1));
        }
    }
    const auto checkString = [&](uint32_t index) {
        if (index != kNoIndex && index >= data.strings.size())
            throw Error(db.path() + ": damaged heapscope file: frame names a missing string");
    };
    {
        SqliteStatement s(db, "SELECT id, function_id, file_id, line, module_id FROM frame "
                              "ORDER BY id");
        while (s.step()) {
            checkId(db, s.int64(0), data.frames.size(), "frame");
            Frame f{indexOrNone(s, 1), indexOrNone(s, 2), s.int64(3), indexOrNone(s, 4)};
            checkString(f.function);
            checkString(f.file);
            checkString(f.module);
            data.frames.push_back(f);
        }
    }
    {
        SqliteStatement s(db, "SELECT id, parent_id, frame_id FROM stack ORDER BY id");
        while (s.step()) {
            checkId(db, s.int64(0), data.stacks.size(), "stack");
            StackNode n{indexOrNone(s, 1), static_cast<uint32_t>(s.int64(2))};
            // Parents precede children, so walking up always ends at a root.
            if ((n.parent != kNoIndex && n.parent >= data.stacks.size()) ||
                n.frame >= data.frames.size())
                throw Error(db.path() + ": damaged heapscope file: broken call-stack tree");
            data.stacks.push_back(n);
        }
    }
    {
        SqliteStatement s(db, "SELECT snapshot_id, stack_id, domain, size, count, truncated "
                              "FROM stack_cost ORDER BY snapshot_id, stack_id, domain");
        while (s.step()) {
            const auto snap = static_cast<uint64_t>(s.int64(0));
            const auto stack = static_cast<uint64_t>(s.int64(1));
            if (snap >= data.snapshots.size() || stack >= data.stacks.size())
                throw Error(db.path() + ": damaged heapscope file: cost of a missing stack");
            data.snapshots[snap].costs.push_back(
                {static_cast<uint32_t>(stack), static_cast<uint32_t>(s.int64(2)),
                 static_cast<uint64_t>(s.int64(3)), static_cast<uint64_t>(s.int64(4)),
                 static_cast<uint64_t>(s.int64(5))});
        }
    }
    return data;
}

} // namespace hs
