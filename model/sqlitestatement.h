#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace hs {

class SqliteDb;

// A prepared statement: bind by 1-based index, step, read columns by 0-based index.
class SqliteStatement
{
public:
    SqliteStatement(SqliteDb& db, const char* sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bind(int index, int64_t value);
    void bind(int index, double value);
    void bindText(int index, std::string_view value);
    void bindBlob(int index, std::string_view value);
    void bindNull(int index);

    bool step();  // true while a row is available
    void run();   // step a statement that returns no rows, then reset it
    void reset(); // keeps the bindings

    bool isNull(int column) const;
    int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string_view blob(int column) const; // valid until the next step

private:
    SqliteDb& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

} // namespace hs
