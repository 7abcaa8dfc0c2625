// The recorder on real programs: each workload of tests/data/recorder/workloads runs under
// every Python the machine has, and heapscope's import of what it wrote must agree with the
// facts the program took about itself at the checkpoint (gc's census, the cycles it built,
// which of them are garbage) and with an independent decoder of the file (read_hsr.py).

#include "../common/recorderrun.h"
#include "graphqueries.h"
#include "inputloader.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <set>

using namespace hs;

namespace {

const SnapshotData* snapshotLabelled(const ProfileData& d, const QString& label, bool graph)
{
    for (const SnapshotData& s : d.snapshots)
        if (QString::fromStdString(s.info.label) == label && s.graph.empty() != graph)
            return &s;
    return nullptr;
}

// read_hsr.py's summary of the file, decoded by the same Python.
QJsonObject independentSummary(const QString& python, const QString& hsr)
{
    QProcess p;
    p.start(python, {QStringLiteral(HEAPSCOPE_TEST_DATA "/recorder/tools/read_hsr.py"), hsr});
    p.waitForFinished(120000);
    if (p.exitCode() != 0)
        qWarning("read_hsr.py failed: %s", p.readAllStandardError().constData());
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

QString typeName(const ProfileData& d, const ObjectGraph& g, uint32_t node)
{
    return QString::fromStdString(d.strings[g.type[node]]);
}

} // namespace

class TestRecorderWorkloads : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Runs the workload, imports the file and checks it against read_hsr.py's decoding.
    bool record(const QString& python, const QString& name, const QStringList& options,
                hstest::RecorderRun& run, ProfileData& data)
    {
        const QString tag = QFileInfo(python).canonicalFilePath().section('/', -3, -3);
        run = hstest::runRecorder(python, hstest::workload(name), m_dir.path(), name + '-' + tag,
                                  options);
        if (!run.ok) {
            qWarning("%s", qPrintable(run.log));
            return false;
        }
        data = InputLoader::load(run.hsr.toStdString(), {});
        const QJsonObject ref = independentSummary(python, run.hsr);
        if (data.recordings.size() != 1 || ref.isEmpty())
            return false;
        const RecordingInfo& rec = data.recordings[0];
        // A clean stop: no warnings, every sample and checkpoint, every snapshot's totals.
        if (!rec.warnings.empty()) {
            qWarning("warning: %s", rec.warnings[0].c_str());
            return false;
        }
        if (rec.timeline.samples.size() != size_t(ref["sample_count"].toInt()) ||
            rec.timeline.checkpoints.size() != size_t(ref["checkpoints"].toArray().size())) {
            qWarning("samples or checkpoints differ from read_hsr.py's");
            return false;
        }
        const QJsonArray snaps = ref["snapshots"].toArray();
        const QJsonArray graphs = ref["graphs"].toArray();
        qsizetype nextSnap = 0, nextGraph = 0;
        for (const SnapshotData& s : data.snapshots) {
            if (!s.graph.empty()) {
                const QJsonObject r = graphs[nextGraph++].toObject();
                const auto edges =
                    uint64_t(r["edges"].toInteger() - r["dangling_edges"].toInteger());
                if (s.graph.nodeCount() != uint64_t(r["nodes"].toInteger()) ||
                    s.graph.edges.target.size() != edges) {
                    qWarning("graph at '%s': %zu nodes, %zu edges; read_hsr.py: %lld, %llu",
                             s.info.label.c_str(), s.graph.nodeCount(), s.graph.edges.target.size(),
                             r["nodes"].toInteger(), static_cast<unsigned long long>(edges));
                    return false;
                }
            } else {
                const QJsonObject r = snaps[nextSnap++].toObject();
                if (s.info.totalSize != uint64_t(r["size"].toInteger()) ||
                    s.info.totalCount != uint64_t(r["traces"].toInteger()) ||
                    s.info.tracebackLimit != r["traceback_limit"].toInteger()) {
                    qWarning("snapshot '%s' differs from read_hsr.py's", s.info.label.c_str());
                    return false;
                }
            }
        }
        return nextSnap == snaps.size() && nextGraph == graphs.size();
    }

    static void pythonRows()
    {
        QTest::addColumn<QString>("python");
        for (const hstest::Python& p : hstest::pythons())
            QTest::newRow(qPrintable(p.name)) << p.path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!hstest::pythons().isEmpty() && hstest::pythons().front().name == "system",
                 "python3 is needed to run the recorder (apt-get install python3)");
    }

    void cycles_data() { pythonRows(); }
    void cycles()
    {
        QFETCH(QString, python);
        hstest::RecorderRun run;
        ProfileData d;
        QVERIFY(record(python, QStringLiteral("cycles"), {"--frames", "0"}, run, d));
        const SnapshotData* s = snapshotLabelled(d, run.expect["checkpoint"].toString(), true);
        QVERIFY(s);
        const ObjectGraph& g = s->graph;
        const GraphAnalysis& a = s->analysis;
        QCOMPARE(a.component.size(), g.nodeCount());

        // Every structure is one strongly connected component, exactly its members where the
        // workload says so, garbage exactly when it lost every reference.
        const std::vector<GraphCycle> cycles = graphCycles(g, a);
        std::map<uint32_t, const GraphCycle*> cycleOf;
        for (const GraphCycle& c : cycles)
            cycleOf[c.component] = &c;
        const QJsonArray structures = run.expect["structures"].toArray();
        QCOMPARE(structures.size(), 10);
        for (const QJsonValue& v : structures) {
            const QJsonObject st = v.toObject();
            const QString what = st["name"].toString() +
                                 (st["garbage"].toBool() ? QStringLiteral(" (garbage)") : "");
            std::set<uint32_t> members;
            for (const QJsonValue& id : st["members"].toArray()) {
                const uint32_t node = nodeByAddress(g, uint64_t(id.toInteger()));
                QVERIFY2(node != UINT32_MAX, qPrintable(what + ": a member is not in the graph"));
                members.insert(node);
            }
            std::set<uint32_t> components;
            for (const uint32_t m : members)
                components.insert(a.component[m]);
            QVERIFY2(components.size() == 1, qPrintable(what + ": members in several SCCs"));
            const uint32_t c = *components.begin();
            QVERIFY2(cycleOf.count(c), qPrintable(what + ": not reported as a cycle"));
            const GraphCycle& cycle = *cycleOf[c];
            QVERIFY2(cycle.garbage == st["garbage"].toBool(), qPrintable(what + ": garbage flag"));
            std::set<uint32_t> tracked;
            for (const uint32_t m : cycle.members)
                if (g.flags[m] & ObjectGraph::Tracked)
                    tracked.insert(m);
            if (st["exact"].toBool())
                QVERIFY2(tracked == members, qPrintable(what + QStringLiteral(": %1 members, "
                                                                              "expected %2")
                                                                   .arg(tracked.size())
                                                                   .arg(members.size())));
            else
                QVERIFY2(
                    std::includes(tracked.begin(), tracked.end(), members.begin(), members.end()),
                    qPrintable(what + ": members missing from the cycle"));
            for (const uint32_t m : members)
                QCOMPARE(bool(a.garbage[m]), st["garbage"].toBool());
            QVERIFY(cycle.retained >= cycle.size);
        }

        // The census of gc-tracked objects is gc.get_objects() counted by type.
        std::map<QString, qint64> census;
        for (const TypeCensus& t : typeCensus(g, a, true, CensusSort::Count, d.strings))
            census[QString::fromStdString(d.strings[t.type])] = qint64(t.count);
        std::map<QString, qint64> expected;
        const QJsonObject e = run.expect["census"].toObject();
        for (auto it = e.begin(); it != e.end(); ++it)
            expected[it.key()] = it.value().toInteger();
        for (const auto& [type, n] : expected)
            QVERIFY2(census[type] == n, qPrintable(QStringLiteral("%1: %2 in heapscope, %3 by gc")
                                                       .arg(type)
                                                       .arg(census[type])
                                                       .arg(n)));
        for (const auto& [type, n] : census)
            QVERIFY2(expected.count(type) || n == 0, qPrintable(type + " is not in gc's census"));

        // The kept ring hangs off the module's globals: KEPT["ring"].
        const QJsonObject ring = structures[0].toObject();
        QCOMPARE(ring["name"].toString(), QStringLiteral("ring"));
        const uint32_t first = nodeByAddress(g, uint64_t(ring["members"].toArray()[0].toInteger()));
        const std::vector<PathStep> path = retainingPath(g, a, first);
        QVERIFY(path.size() >= 3);
        QCOMPARE(path.back().node, first);
        QCOMPARE(QString::fromStdString(d.strings[path[path.size() - 3].edgeName]),
                 QStringLiteral("KEPT"));
        QCOMPARE(QString::fromStdString(d.strings[path[path.size() - 2].edgeName]),
                 QStringLiteral("ring"));
        QCOMPARE(typeName(d, g, first), QStringLiteral("__main__.Node"));
    }

    void growth_data() { pythonRows(); }
    void growth()
    {
        QFETCH(QString, python);
        hstest::RecorderRun run;
        ProfileData d;
        QVERIFY(record(python, QStringLiteral("growth"), {"--frames", "0"}, run, d));
        const QString cls = run.expect["class"].toString();
        qint64 counts[2] = {0, 0};
        int k = 0;
        for (const char* label : {"before", "after"}) {
            const SnapshotData* s = snapshotLabelled(d, QString::fromLatin1(label), true);
            QVERIFY(s);
            for (uint32_t v = 0; v < s->graph.nodeCount(); ++v)
                counts[k] +=
                    (s->graph.flags[v] & ObjectGraph::Tracked) && typeName(d, s->graph, v) == cls;
            ++k;
        }
        QCOMPARE(counts[1] - counts[0], run.expect["k"].toInteger());
    }

    void timeline_data() { pythonRows(); }
    void timeline()
    {
        QFETCH(QString, python);
        hstest::RecorderRun run;
        ProfileData d;
        QVERIFY(record(python, QStringLiteral("timeline"), {"--frames", "5", "--interval", "0.1"},
                       run, d));
        const RecorderTimeline& t = d.recordings[0].timeline;
        QVERIFY(t.samples.size() >= size_t(run.expect["min_samples"].toInt()));
        for (size_t k = 1; k < t.samples.size(); ++k)
            QVERIFY(t.samples[k].timeMs >= t.samples[k - 1].timeMs);
        for (const auto& sample : t.samples) {
            QVERIFY(sample.tracedCurrent > 0);
            QVERIFY(sample.tracedPeak >= sample.tracedCurrent);
        }
        const QJsonArray labels = run.expect["labels"].toArray();
        QCOMPARE(t.checkpoints.size(), size_t(labels.size()));
        QCOMPARE(d.snapshots.size(), size_t(labels.size()));
        for (qsizetype k = 0; k < labels.size(); ++k) {
            QCOMPARE(QString::fromStdString(t.checkpoints[k].label), labels[k].toString());
            QCOMPARE(t.checkpoints[k].flags & 1u, 1u); // a snapshot follows
            const SnapshotInfo& info = d.snapshots[k].info;
            QCOMPARE(QString::fromStdString(info.label), labels[k].toString());
            QCOMPARE(info.tracebackLimit, run.expect["frames"].toInteger());
            QVERIFY(info.totalCount > 0);
            QCOMPARE(info.timeMs, t.checkpoints[k].timeMs);
        }
        // The workload grows, halves and grows again what it keeps.
        QVERIFY(d.snapshots[1].info.totalSize > d.snapshots[0].info.totalSize);
        QVERIFY(d.snapshots[2].info.totalSize < d.snapshots[1].info.totalSize);
    }
};

QTEST_GUILESS_MAIN(TestRecorderWorkloads)
#include "tst_recorderworkloads.moc"
