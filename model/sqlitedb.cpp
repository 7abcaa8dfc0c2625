#include "sqlitedb.h"

#include "hserror.h"
#include "sqlitestatement.h"

#include <sqlite3.h>

namespace hs {

SqliteDb::SqliteDb(const std::string& path, Mode mode) : m_path(path)
{
    const int flags =
        mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(path + ": cannot open: " + msg);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

SqliteDb::~SqliteDb()
{
    sqlite3_close_v2(m_db);
}

void SqliteDb::exec(const char* sql)
{
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(m_db);
        sqlite3_free(err);
        throw Error(m_path + ": " + msg);
    }
}

int64_t SqliteDb::queryInt(const char* sql)
{
    SqliteStatement stmt(*this, sql);
    if (!stmt.step())
        fail(std::string("no result for ") + sql);
    return stmt.int64(0);
}

void SqliteDb::fail(const std::string& what) const
{
    throw Error(m_path + ": " + what + ": " + sqlite3_errmsg(m_db));
}

} // namespace hs
