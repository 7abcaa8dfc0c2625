#pragma once

// Running the heapscope executable as a user or a script would, for the command-line suites.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace hstest {

struct Result
{
    int exitCode = -1;
    QByteArray out, err;
};

inline Result run(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(HEAPSCOPE_BINARY), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline QJsonObject runJson(const QStringList& args)
{
    const Result r = run(args);
    if (r.exitCode != 0)
        qWarning("heapscope %s failed: %s", qPrintable(args.join(' ')), r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

} // namespace hstest
