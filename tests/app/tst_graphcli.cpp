// The object-graph commands (objects, cycles, retainers, dot, diff --objects) on files the
// recorder wrote from real programs run here with the system python3, and the recorder's own
// ways in: the API, SIGUSR2, -m module, periodic snapshots, a graph at exit, a killed program.

#include "../common/recorderrun.h"
#include "../common/runheapscope.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <set>

using hstest::run;
using hstest::runJson;

class TestGraphCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_python;
    hstest::RecorderRun m_cycles, m_growth;

    QString file(const QString& name) const { return m_dir.filePath(name); }

    QString script(const QString& name, const QByteArray& text) const
    {
        QFile f(file(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return f.fileName();
    }

    // Runs `python ARGS` with the recorder importable; returns the exit code.
    int python(const QStringList& args, const QString& dir = QString()) const
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PYTHONPATH", QStringLiteral(HEAPSCOPE_RECORDER_DIR ":") + m_dir.path());
        env.insert("PYTHONDONTWRITEBYTECODE", "1");
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(dir.isEmpty() ? m_dir.path() : dir);
        p.start(m_python, args);
        p.waitForFinished(120000);
        if (p.exitStatus() != QProcess::NormalExit)
            return -1;
        if (p.exitCode() != 0)
            qWarning("%s", p.readAllStandardError().constData());
        return p.exitCode();
    }

    // Node -> Node, or Node -> its __dict__ -> Node where gc reports instance dicts.
    static qsizetype ringLength(const QJsonObject& ring)
    {
        return ring["members"].toArray().size();
    }

    QJsonObject structure(const QString& name, bool garbage) const
    {
        for (const QJsonValue& v : m_cycles.expect["structures"].toArray())
            if (v["name"].toString() == name && v["garbage"].toBool() == garbage)
                return v.toObject();
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto pythons = hstest::pythons();
        QVERIFY2(!pythons.isEmpty() && pythons.front().name == "system",
                 "python3 is needed to run the recorder (apt-get install python3)");
        m_python = pythons.front().path;
        m_cycles = hstest::runRecorder(m_python, hstest::workload("cycles"), m_dir.path(), "cycles",
                                       {"--frames", "0"});
        QVERIFY2(m_cycles.ok, qPrintable(m_cycles.log));
        m_growth = hstest::runRecorder(m_python, hstest::workload("growth"), m_dir.path(), "growth",
                                       {"--frames", "0"});
        QVERIFY2(m_growth.ok, qPrintable(m_growth.log));
    }

    void objectsCensus_data()
    {
        QTest::addColumn<bool>("imported");
        QTest::newRow("hsr") << false;
        QTest::newRow("heapscope") << true;
    }
    void objectsCensus()
    {
        QFETCH(bool, imported);
        QString input = m_cycles.hsr;
        if (imported) {
            input = file("cycles.heapscope");
            const auto r = run({"import", m_cycles.hsr, "-o", input, "--force"});
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
        const QJsonObject j = runJson({"objects", input, "--json", "--limit", "0"});
        std::map<QString, qint64> census;
        qint64 previous = INT64_MAX;
        for (const QJsonValue& t : j["types"].toArray()) {
            census[t["type"].toString()] = t["count"].toInteger();
            QVERIFY(t["count"].toInteger() <= previous); // --sort count is the default
            previous = t["count"].toInteger();
            QVERIFY(t["retained"].toInteger() >= t["size"].toInteger());
        }
        const QJsonObject expected = m_cycles.expect["census"].toObject();
        QCOMPARE(census.size(), size_t(expected.size()));
        for (auto it = expected.begin(); it != expected.end(); ++it)
            QVERIFY2(census[it.key()] == it.value().toInteger(), qPrintable(it.key()));
        QCOMPARE(j["snapshot"]["label"].toString(), QStringLiteral("check"));
    }

    void objectsSorts_data()
    {
        QTest::addColumn<QString>("sort");
        QTest::newRow("size") << "size";
        QTest::newRow("retained") << "retained";
    }
    void objectsSorts()
    {
        QFETCH(QString, sort);
        const QJsonObject j = runJson({"objects", m_cycles.hsr, "--json", "--sort", sort});
        const QJsonArray types = j["types"].toArray();
        QCOMPARE(types.size(), 20); // the default limit
        for (qsizetype k = 1; k < types.size(); ++k)
            QVERIFY(types[k][sort].toInteger() <= types[k - 1][sort].toInteger());
    }

    void cycles()
    {
        const QJsonObject all = runJson({"cycles", m_cycles.hsr, "--json", "--limit", "0"});
        const QJsonObject garbage =
            runJson({"cycles", m_cycles.hsr, "--json", "--limit", "0", "--garbage-only"});
        qsizetype garbageCount = 0;
        for (const QJsonValue& c : all["cycles"].toArray())
            garbageCount += c["garbage"].toBool();
        QCOMPARE(garbage["cycles"].toArray().size(), garbageCount);
        for (const QJsonValue& c : garbage["cycles"].toArray())
            QVERIFY(c["garbage"].toBool());
        // Each structure the workload built exactly is one listed cycle: same members.
        for (const QJsonValue& v : m_cycles.expect["structures"].toArray()) {
            if (!v["exact"].toBool())
                continue;
            std::set<qint64> members;
            for (const QJsonValue& id : v["members"].toArray())
                members.insert(id.toInteger());
            bool found = false;
            for (const QJsonValue& c : all["cycles"].toArray()) {
                if (!members.count(c["representative"].toInteger()))
                    continue;
                found = true;
                QCOMPARE(c["garbage"].toBool(), v["garbage"].toBool());
                std::set<qint64> listed;
                for (const QJsonValue& id : c["member_ids"].toArray())
                    listed.insert(id.toInteger());
                QVERIFY(
                    std::includes(listed.begin(), listed.end(), members.begin(), members.end()));
            }
            QVERIFY2(found, qPrintable(v["name"].toString()));
        }
        const auto text = run({"cycles", m_cycles.hsr, "--limit", "3"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(QStringLiteral("%1 reference cycles, %2 of them garbage")
                                      .arg(all["cycles"].toArray().size())
                                      .arg(garbageCount)
                                      .toUtf8()));
    }

    void retainers_data()
    {
        QTest::addColumn<bool>("garbage");
        QTest::newRow("alive") << false;
        QTest::newRow("garbage") << true;
    }
    void retainers()
    {
        QFETCH(bool, garbage);
        const qint64 id = structure("ring", garbage)["members"][0].toInteger();
        const QJsonObject j = runJson({"retainers", m_cycles.hsr, QString::number(id), "--json"});
        QCOMPARE(j["garbage"].toBool(), garbage);
        const QJsonArray path = j["path"].toArray();
        QVERIFY(path.size() >= 2);
        QCOMPARE(path.last()["id"].toInteger(), id);
        QCOMPARE(path.last()["type"].toString(), QStringLiteral("__main__.Node"));
        QVERIFY(path.last()["edge"].isNull());
        if (!garbage) {
            QCOMPARE(path[path.size() - 3]["edge"].toString(), QStringLiteral("KEPT"));
            QCOMPARE(path[path.size() - 2]["edge"].toString(), QStringLiteral("ring"));
        } else {
            // Garbage is kept by its own ring: once round it, from the object to itself.
            QCOMPARE(path.first()["id"].toInteger(), id);
            QCOMPARE(path.size(), ringLength(structure("ring", true)) + 1);
            qsizetype nodes = 0;
            for (const QJsonValue& step : path)
                nodes += step["type"].toString() == QStringLiteral("__main__.Node");
            QCOMPARE(nodes, qsizetype(8));
        }
        // Hexadecimal, as heapscope prints ids, works too.
        const QJsonObject hex =
            runJson({"retainers", m_cycles.hsr, "0x" + QString::number(id, 16), "--json"});
        QCOMPARE(hex["path"].toArray(), path);
    }

    void dot()
    {
        // The garbage ring's cycle, by its number in `cycles`.
        const QJsonArray cycles =
            runJson({"cycles", m_cycles.hsr, "--json", "--limit", "0"}).value("cycles").toArray();
        const QJsonObject ring = structure("ring", true);
        std::set<qint64> members;
        for (const QJsonValue& id : ring["members"].toArray())
            members.insert(id.toInteger());
        qsizetype number = 0;
        for (qsizetype k = 0; k < cycles.size(); ++k)
            if (members.count(cycles[k]["representative"].toInteger()))
                number = k + 1;
        QVERIFY(number > 0);
        const QString out = file("ring.dot");
        const auto r = run({"dot", m_cycles.hsr, "--cycle", QString::number(number), "-o", out});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("digraph heapscope {"));
        QVERIFY(text.trimmed().endsWith('}'));
        for (const qint64 id : members)
            QVERIFY(text.contains(QStringLiteral("o%1 [").arg(id, 0, 16).toUtf8()));
        QCOMPARE(text.count("__main__.Node"), qsizetype(7));
        QCOMPARE(text.count(" -> "), ringLength(ring));

        const qint64 alive = structure("ring", false)["members"][0].toInteger();
        const auto neighbourhood =
            run({"dot", m_cycles.hsr, "--object", QString::number(alive), "--depth", "2"});
        QCOMPARE(neighbourhood.exitCode, 0);
        QVERIFY(neighbourhood.out.contains("[label=\"ring\"]"));
        QVERIFY(neighbourhood.out.contains("[label=\"KEPT\"]"));
    }

    void growth()
    {
        const QJsonObject j = runJson({"diff", m_growth.hsr, "--objects", "--json"});
        bool found = false;
        for (const QJsonValue& row : j["growth"].toArray()) {
            QVERIFY(row["delta"].toInteger() > 0);
            QCOMPARE(row["delta"].toInteger(), row["new"].toInteger() - row["old"].toInteger());
            if (row["type"].toString() == m_growth.expect["class"].toString()) {
                found = true;
                QCOMPARE(row["delta"].toInteger(), m_growth.expect["k"].toInteger());
            }
        }
        QVERIFY(found);
        QCOMPARE(j["old"]["snapshot"]["label"].toString(), QStringLiteral("before"));
        QCOMPARE(j["new"]["snapshot"]["label"].toString(), QStringLiteral("after"));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString hsr = QStringLiteral("@cycles");
        QTest::newRow("unknown id")
            << QStringList{"retainers", hsr, "12345"} << 1 << "no object with id 12345";
        QTest::newRow("id not a number")
            << QStringList{"retainers", hsr, "abc"} << 2 << "an object id is a number";
        QTest::newRow("no such cycle")
            << QStringList{"dot", hsr, "--cycle", "100000"} << 1 << "there is no cycle 100000";
        QTest::newRow("dot needs one of")
            << QStringList{"dot", hsr} << 2 << "either --cycle N or --object ID";
        QTest::newRow("bad sort") << QStringList{"objects", hsr, "--sort", "name"} << 2
                                  << "--sort takes count, size or retained";
        QTest::newRow("no graph") << QStringList{"cycles",
                                                 QStringLiteral(HEAPSCOPE_TEST_DATA
                                                                "/tracemalloc/tiny-py311.pickle")}
                                  << 1 << "holds no object graph";
        QTest::newRow("one graph only")
            << QStringList{"diff", hsr, "--objects"} << 1 << "holds only one object graph";
    }
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        args.replaceInStrings(QStringLiteral("@cycles"), m_cycles.hsr);
        const auto r = run(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QCOMPARE(r.err.count('\n'), qsizetype(1));
        QVERIFY(r.out.isEmpty());
    }

    // hr.record() and hr.checkpoint() from inside a program.
    void api()
    {
        const QString out = file("api.hsr");
        const QString prog = script("api.py", R"(
import sys, heapscope_recorder as hr
with hr.record(sys.argv[1], interval=0.05, frames=3):
    assert hr.is_recording()
    held = [dict(a=i) for i in range(1000)]
    hr.checkpoint("made", graph=True)
assert not hr.is_recording()
)");
        QCOMPARE(python({prog, out}), 0);
        const QJsonObject j = runJson({"objects", out, "--json", "--limit", "0"});
        QCOMPARE(j["snapshot"]["label"].toString(), QStringLiteral("made"));
        qint64 dicts = 0;
        for (const QJsonValue& t : j["types"].toArray())
            if (t["type"].toString() == "builtins.dict")
                dicts = t["count"].toInteger();
        QVERIFY(dicts >= 1000);
        const QJsonObject stats = runJson({"stats", out, "--json"});
        QCOMPARE(stats["snapshot"]["traceback_limit"].toInt(), 3);
        QVERIFY(stats["source"]["recording"]["warnings"].toArray().isEmpty());
        // The recorder's write buffer is not the program's memory.
        for (const QJsonValue& s : stats["stats"].toArray())
            QVERIFY(s["size"].toInteger() < 1 << 20);
    }

    // kill -USR2 takes a checkpoint with a graph of the running program.
    void signalCheckpoint()
    {
        const QString out = file("signal.hsr");
        const QString prog = script("signal_me.py", R"(
import os, signal, time
held = [bytearray(1000) for _ in range(100)]
os.kill(os.getpid(), signal.SIGUSR2)
time.sleep(0.3)
)");
        QCOMPARE(python({"-m", "heapscope_recorder", "run", "-o", out, prog}), 0);
        const QJsonObject j = runJson({"objects", out, "--json"});
        QCOMPARE(j["snapshot"]["label"].toString(), QStringLiteral("SIGUSR2"));
        QVERIFY(j["snapshot"]["objects"].toInt() > 1000);
    }

    // -m module, periodic snapshots and a graph when the program ends.
    void moduleSnapshotsAndExitGraph()
    {
        QDir(m_dir.path()).mkdir("pkg");
        script("pkg/periodic_mod.py",
               "import time\nheld = [bytes(100) for i in range(500)]\ntime.sleep(0.45)\n");
        const QString out = file("periodic.hsr");
        QCOMPARE(python({"-m", "heapscope_recorder", "run", "-o", out, "--snapshot-every", "0.1",
                         "--graph-at-exit", "-m", "pkg.periodic_mod"}),
                 0);
        const QJsonObject last = runJson({"stats", out, "--json"});
        const int snapshots = last["source"]["snapshots"].toInt();
        QVERIFY(snapshots >= 3);
        QCOMPARE(last["snapshot"]["label"].toString(), QStringLiteral("exit"));
        for (int k = 0; k + 1 < snapshots; ++k)
            QCOMPARE(runJson({"stats", out, "--json", "--snapshot", QString::number(k)})
                         .value("snapshot")["label"]
                         .toString(),
                     QStringLiteral("periodic"));
        const QJsonObject objects = runJson({"objects", out, "--json"});
        QCOMPARE(objects["snapshot"]["label"].toString(), QStringLiteral("exit"));
    }

    // A program killed while recording: what was written imports, with a warning.
    void killedProgram()
    {
        const QString out = file("killed.hsr");
        const QString prog = script("killed.py", R"(
import os, time, heapscope_recorder as hr
hr.checkpoint("before the end", graph=True)
time.sleep(0.15)
os.kill(os.getpid(), 9)
)");
        QCOMPARE(python({"-m", "heapscope_recorder", "run", "-o", out, prog}), -1);
        const auto text = run({"cycles", out, "--limit", "1"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.err.contains("warning: the recording has no end record"),
                 text.err.constData());
        const QJsonObject j = runJson({"cycles", out, "--json", "--limit", "1"});
        QCOMPARE(j["snapshot"]["label"].toString(), QStringLiteral("before the end"));
        QCOMPARE(j["cycles"].toArray().size(), 1);
        const auto imported = run({"import", out, "-o", file("killed.heapscope")});
        QCOMPARE(imported.exitCode, 0);
        QVERIFY(imported.err.contains("no end record"));
    }
};

QTEST_GUILESS_MAIN(TestGraphCli)
#include "tst_graphcli.moc"
