#pragma once

#include <string>

struct sqlite3;

namespace hs {

// Owns one SQLite connection. Errors become hs::Error naming the database file.
class SqliteDb
{
public:
    enum class Mode
    {
        ReadOnly,
        Create
    };

    SqliteDb(const std::string& path, Mode mode);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    void exec(const char* sql);
    int64_t queryInt(const char* sql);
    sqlite3* handle() const { return m_db; }
    const std::string& path() const { return m_path; }
    [[noreturn]] void fail(const std::string& what) const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

} // namespace hs
