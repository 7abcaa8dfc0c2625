#pragma once

// Running heapscope's Python recorder on the test workloads (tests/data/recorder/workloads),
// with the machine's own Pythons: the system python3 (required) and every pyenv CPython from
// 3.6 to 3.13 that happens to be installed.

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QStringList>

namespace hstest {

struct Python
{
    QString name; // "system", "3.11.7"
    QString path;
};

// The system python3 first, then pyenv's versions in version order.
inline QList<Python> pythons()
{
    QList<Python> found;
    const QString system = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!system.isEmpty())
        found.append({QStringLiteral("system"), system});
    const QDir versions(QDir::homePath() + QStringLiteral("/.pyenv/versions"));
    QStringList names = versions.entryList({QStringLiteral("3.*")}, QDir::Dirs);
    std::sort(names.begin(), names.end(), [](const QString& a, const QString& b) {
        return a.section('.', 1, 1).toInt() < b.section('.', 1, 1).toInt();
    });
    for (const QString& n : names) {
        const int minor = n.section('.', 1, 1).toInt();
        const QString exe = versions.filePath(n + QStringLiteral("/bin/python3"));
        if (minor >= 6 && minor <= 13 && QFileInfo(exe).isExecutable())
            found.append({n, exe});
    }
    return found;
}

inline QString workload(const QString& name)
{
    return QStringLiteral(HEAPSCOPE_TEST_DATA "/recorder/workloads/") + name +
           QStringLiteral(".py");
}

struct RecorderRun
{
    bool ok = false;
    QString log; // what went wrong, with the recorder's output
    QString hsr;
    QJsonObject expect; // what the workload wrote about itself
};

// `python -m heapscope_recorder run -o DIR/NAME.hsr OPTIONS WORKLOAD DIR/NAME.json`.
inline RecorderRun runRecorder(const QString& python, const QString& script, const QString& dir,
                               const QString& name, const QStringList& options,
                               int timeoutMs = 120000)
{
    RecorderRun r;
    r.hsr = dir + '/' + name + QStringLiteral(".hsr");
    const QString expectPath = dir + '/' + name + QStringLiteral(".json");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PYTHONPATH"), QStringLiteral(HEAPSCOPE_RECORDER_DIR));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"), QStringLiteral("1"));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(dir);
    QStringList args{QStringLiteral("-m"), QStringLiteral("heapscope_recorder"),
                     QStringLiteral("run"), QStringLiteral("-o"), r.hsr};
    args << options << script << expectPath;
    p.start(python, args);
    const bool finished = p.waitForFinished(timeoutMs);
    const QString output = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        p.kill();
        r.log = python + ' ' + args.join(' ') + QStringLiteral(" failed:\n") + output;
        return r;
    }
    QFile f(expectPath);
    if (!f.open(QIODevice::ReadOnly)) {
        r.log = expectPath + QStringLiteral(" was not written:\n") + output;
        return r;
    }
    r.expect = QJsonDocument::fromJson(f.readAll()).object();
    r.ok = !r.expect.isEmpty();
    if (!r.ok)
        r.log = expectPath + QStringLiteral(" is not a JSON object");
    return r;
}

} // namespace hstest
