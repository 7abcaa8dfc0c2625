#pragma once

#include "profiledata.h"

#include <memory>
#include <string>

namespace hs {

class SqliteDb;

// Read side of a .heapscope file. Opening validates the format and schema version; a file that is
// not a heapscope file, or one written by a newer heapscope, is refused with a clear message.
class Store
{
public:
    explicit Store(const std::string& path);
    ~Store();

    // True when the first bytes of the file are an SQLite header (cheap content sniffing).
    static bool looksLikeStore(const std::string& path);
    // True when the file opens as a heapscope file of a version this build reads.
    static bool isHeapscopeFile(const std::string& path);

    int schemaVersion() const { return m_version; }
    // The recordings and snapshots alone (no frames, stacks or costs): a cheap listing.
    ProfileData loadSnapshotList() const;
    // What load() reads. A report of heaptrack figures needs neither the stack trie (nor what
    // refers to it: Python costs, object graphs) nor, without a time range, the per-bucket
    // costs; leaving them out is most of the work of opening a big recording's file.
    struct Parts
    {
        bool stacks = true;
        bool timeBuckets = true;
    };
    ProfileData load() const; // everything
    ProfileData load(Parts parts) const;

private:
    static void loadBulk(SqliteDb& db, int version, ProfileData& data, Parts parts);

    std::unique_ptr<SqliteDb> m_db;
    int m_version = 0;
};

} // namespace hs
