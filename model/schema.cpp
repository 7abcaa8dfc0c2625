#include "schema.h"

namespace hs::schema {

const char* ddl()
{
    return R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE recording(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_size INTEGER NOT NULL,
    source_sha256 TEXT NOT NULL,
    command_line TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    warnings TEXT NOT NULL);
CREATE TABLE snapshot(
    id INTEGER PRIMARY KEY,
    recording_id INTEGER NOT NULL REFERENCES recording(id),
    label TEXT NOT NULL,
    time_ms REAL,
    traceback_limit INTEGER NOT NULL,
    total_size INTEGER NOT NULL,
    total_count INTEGER NOT NULL,
    truncated_count INTEGER NOT NULL,
    traceback_order INTEGER NOT NULL,
    python TEXT NOT NULL,
    protocol INTEGER NOT NULL);
CREATE TABLE string(id INTEGER PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE frame(
    id INTEGER PRIMARY KEY,
    function_id INTEGER REFERENCES string(id),
    file_id INTEGER REFERENCES string(id),
    line INTEGER NOT NULL,
    module_id INTEGER REFERENCES string(id));
CREATE TABLE stack(
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES stack(id),
    frame_id INTEGER NOT NULL REFERENCES frame(id));
CREATE TABLE stack_cost(
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    stack_id INTEGER NOT NULL REFERENCES stack(id),
    domain INTEGER NOT NULL,
    size INTEGER NOT NULL,
    count INTEGER NOT NULL,
    truncated INTEGER NOT NULL,
    PRIMARY KEY(snapshot_id, stack_id, domain)) WITHOUT ROWID;
)sql";
}

} // namespace hs::schema
