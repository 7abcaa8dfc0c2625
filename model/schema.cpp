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
CREATE TABLE recording_property(
    recording_id INTEGER NOT NULL REFERENCES recording(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY(recording_id, key)) WITHOUT ROWID;
CREATE TABLE string(id INTEGER PRIMARY KEY, value BLOB NOT NULL);
-- Bulk arrays in blocks of up to 65536 rows, each column a little-endian array:
-- ids uint32 (0xFFFFFFFF: none), lines int64, sizes and counts uint64.
CREATE TABLE frame_block(
    first INTEGER PRIMARY KEY,
    count INTEGER NOT NULL,
    function_ids BLOB NOT NULL,
    file_ids BLOB NOT NULL,
    lines BLOB NOT NULL,
    module_ids BLOB NOT NULL);
-- The call-stack trie: a stack is (parent stack, frame); parents precede their children.
-- merged_ids: the stack's node in the top-down call tree, frames merged by function.
CREATE TABLE stack_block(
    first INTEGER PRIMARY KEY,
    count INTEGER NOT NULL,
    parent_ids BLOB NOT NULL,
    frame_ids BLOB NOT NULL,
    merged_ids BLOB NOT NULL);
-- Per snapshot: cost per (innermost stack, allocation domain).
CREATE TABLE cost_block(
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    first INTEGER NOT NULL,
    count INTEGER NOT NULL,
    stack_ids BLOB NOT NULL,
    domains BLOB NOT NULL,
    sizes BLOB NOT NULL,
    counts BLOB NOT NULL,
    truncated BLOB NOT NULL,
    PRIMARY KEY(snapshot_id, first)) WITHOUT ROWID;
-- Per snapshot: a native heap profile (heaptrack) as named columns of uint64 values
-- (cost.*, location.*, interval.*, bucket_cost.*, size.*), in blocks like the arrays above.
CREATE TABLE heap_column_block(
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    name TEXT NOT NULL,
    first INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY(snapshot_id, name, first)) WITHOUT ROWID;
-- Per snapshot: a gc object graph and its cached analysis as named uint64 columns
-- (node.*, edge.* in compressed rows, root.*, analysis.*), in blocks like the arrays above.
CREATE TABLE graph_column_block(
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    name TEXT NOT NULL,
    first INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY(snapshot_id, name, first)) WITHOUT ROWID;
-- Per recording: the recorder's timeline samples as named uint64 columns (sample.*; times
-- are the bits of IEEE doubles, in ms).
CREATE TABLE recording_column_block(
    recording_id INTEGER NOT NULL REFERENCES recording(id),
    name TEXT NOT NULL,
    first INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY(recording_id, name, first)) WITHOUT ROWID;
CREATE TABLE recorder_checkpoint(
    recording_id INTEGER NOT NULL REFERENCES recording(id),
    id INTEGER NOT NULL,
    time_ms REAL NOT NULL,
    label TEXT NOT NULL,
    flags INTEGER NOT NULL,
    PRIMARY KEY(recording_id, id)) WITHOUT ROWID;
)sql";
}

} // namespace hs::schema
