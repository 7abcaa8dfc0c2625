#pragma once

// Helpers shared by the test suites: the fixtures under tests/data and their .truth.json files
// (figures computed by the CPython that wrote each dump).

#include "profiledata.h"
#include "statistics.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <string_view>

namespace hstest {

inline QString dataDir()
{
    return QStringLiteral(HEAPSCOPE_TEST_DATA);
}

inline QString tracemallocDir()
{
    return dataDir() + QStringLiteral("/tracemalloc");
}

// Every NAME.truth.json beside a NAME.pickle, sorted.
inline QStringList truthFiles()
{
    QStringList out;
    const QDir dir(tracemallocDir());
    for (const QString& name :
         dir.entryList({QStringLiteral("*.truth.json")}, QDir::Files, QDir::Name))
        out << dir.filePath(name);
    return out;
}

inline QString picklePathFor(const QString& truthPath)
{
    QString p = truthPath;
    p.chop(int(sizeof(".truth.json") - 1));
    return p + QStringLiteral(".pickle");
}

inline QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// heapscope keeps filenames as surrogatepass UTF-8; QString can hold the lone surrogates that
// Python's json writes as \udcXX, so compare in UTF-16.
inline QString fromRaw(std::string_view bytes)
{
    QString out;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    while (p < end) {
        uint32_t cp = *p;
        int n = 0;
        if (cp >= 0xF0)
            cp &= 0x07, n = 3;
        else if (cp >= 0xE0)
            cp &= 0x0F, n = 2;
        else if (cp >= 0xC0)
            cp &= 0x1F, n = 1;
        for (int i = 1; i <= n && p + i < end; ++i)
            cp = cp << 6 | (p[i] & 0x3F);
        p += n + 1;
        if (cp >= 0x10000) {
            out += QChar(QChar::highSurrogate(cp));
            out += QChar(QChar::lowSurrogate(cp));
        } else {
            out += QChar(char16_t(cp));
        }
    }
    return out;
}

struct Row
{
    QList<QPair<QString, qint64>> frames; // most recent first
    qint64 size = 0, count = 0, sizeDiff = 0, countDiff = 0;
    bool operator==(const Row&) const = default;
};

inline QString describe(const Row& r)
{
    QString s = QStringLiteral("size=%1 count=%2 diff=%3/%4 [")
                    .arg(r.size)
                    .arg(r.count)
                    .arg(r.sizeDiff)
                    .arg(r.countDiff);
    for (const auto& f : r.frames)
        s += f.first + QLatin1Char(':') + QString::number(f.second) + QLatin1Char(' ');
    return s + QLatin1Char(']');
}

// Rows as the truth files list them: lineno {filename, lineno}, filename {filename},
// traceback {frames_most_recent_first}.
inline QList<Row> rowsFromTruth(const QJsonArray& array, hs::GroupBy by, bool diff)
{
    QList<Row> rows;
    for (const auto& v : array) {
        const QJsonObject o = v.toObject();
        Row r;
        r.size = o.value(QLatin1String("size")).toInteger();
        r.count = o.value(QLatin1String("count")).toInteger();
        if (diff) {
            r.sizeDiff = o.value(QLatin1String("size_diff")).toInteger();
            r.countDiff = o.value(QLatin1String("count_diff")).toInteger();
        }
        if (by == hs::GroupBy::Traceback) {
            for (const auto& f : o.value(QLatin1String("frames_most_recent_first")).toArray())
                r.frames.append({f.toArray().at(0).toString(), f.toArray().at(1).toInteger()});
        } else {
            r.frames.append(
                {o.value(QLatin1String("filename")).toString(),
                 by == hs::GroupBy::Filename ? 0 : o.value(QLatin1String("lineno")).toInteger()});
        }
        rows.append(r);
    }
    return rows;
}

inline QList<Row> rowsFromStats(const std::vector<hs::StatRow>& stats, bool diff, qsizetype n)
{
    QList<Row> rows;
    for (size_t i = 0; i < stats.size() && qsizetype(i) < n; ++i) {
        Row r;
        r.size = qint64(stats[i].size);
        r.count = qint64(stats[i].count);
        if (diff) {
            r.sizeDiff = stats[i].sizeDiff;
            r.countDiff = stats[i].countDiff;
        }
        for (const auto& f : stats[i].frames)
            r.frames.append({fromRaw(f.file), f.line});
        rows.append(r);
    }
    return rows;
}

// The CLI's --json "stats" array, same shape as rowsFromStats.
inline QList<Row> rowsFromCli(const QJsonArray& stats, bool diff, qsizetype n)
{
    QList<Row> rows;
    for (const auto& v : stats) {
        if (rows.size() >= n)
            break;
        const QJsonObject o = v.toObject();
        Row r;
        r.size = o.value(QLatin1String("size")).toInteger();
        r.count = o.value(QLatin1String("count")).toInteger();
        if (diff) {
            r.sizeDiff = o.value(QLatin1String("size_diff")).toInteger();
            r.countDiff = o.value(QLatin1String("count_diff")).toInteger();
        }
        for (const auto& f : o.value(QLatin1String("frames")).toArray())
            r.frames.append({f.toObject().value(QLatin1String("filename")).toString(),
                             f.toObject().value(QLatin1String("lineno")).toInteger()});
        rows.append(r);
    }
    return rows;
}

// First difference between two row lists, or an empty string.
inline QString mismatch(const QList<Row>& actual, const QList<Row>& expected)
{
    if (actual.size() != expected.size())
        return QStringLiteral("%1 rows, expected %2").arg(actual.size()).arg(expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        if (!(actual[i] == expected[i]))
            return QStringLiteral("row %1: got %2, expected %3")
                .arg(i)
                .arg(describe(actual[i]), describe(expected[i]));
    }
    return {};
}

// The truth was computed by this Python; only 3.6 orders traceback ties most recent first.
inline bool writtenByPython36(const QJsonObject& truth)
{
    return truth.value(QLatin1String("python_version")).toString().startsWith(QLatin1String("3.6"));
}

// (truth key, group by, cumulative) for every statistics list a truth file may hold.
struct StatList
{
    const char* key;
    hs::GroupBy by;
    bool cumulative;
};

inline QList<StatList> statLists()
{
    using hs::GroupBy;
    return {{"statistics_lineno_top10", GroupBy::Lineno, false},
            {"statistics_filename_top10", GroupBy::Filename, false},
            {"statistics_lineno_cumulative_top10", GroupBy::Lineno, true},
            {"statistics_traceback_top5", GroupBy::Traceback, false},
            {"statistics_lineno_all", GroupBy::Lineno, false},
            {"statistics_filename_all", GroupBy::Filename, false},
            {"statistics_traceback_all", GroupBy::Traceback, false},
            {"statistics_lineno_cumulative_all", GroupBy::Lineno, true},
            {"statistics_filename_cumulative_all", GroupBy::Filename, true}};
}

inline QList<StatList> compareLists()
{
    using hs::GroupBy;
    return {{"lineno_top10", GroupBy::Lineno, false},
            {"filename_top10", GroupBy::Filename, false},
            {"traceback_top3", GroupBy::Traceback, false},
            {"lineno_all", GroupBy::Lineno, false},
            {"filename_all", GroupBy::Filename, false},
            {"traceback_all", GroupBy::Traceback, false}};
}

} // namespace hstest
