// The call tree behind the flame graph and the tables, on every real sample: its totals are
// the source tool's (CPython's statistics(), heaptrack_print's flame-graph sums), its
// bottom-up first level is statistics('lineno'), every traceback group is a top-down path
// ending in a node whose own cost is the group's, and the structure holds together.

#include "../common/truthfile.h"
#include "calltree.h"
#include "inputloader.h"
#include "stackmerge.h"
#include "store.h"
#include "storewriter.h"

#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <set>

using namespace hs;

namespace {

using Key = QPair<QString, qint64>;

Key keyOf(const ProfileData& d, uint32_t frame)
{
    const Frame& f = d.frames[frame];
    return {hstest::fromRaw(d.strings[f.file]), f.line};
}

// Children sum to at most their parent (exactly, with the parent's own cost), depth and
// parent links agree, every node is some node's child once.
QString structureProblem(const CallTree& t)
{
    if (t.nodeCount() == 0 || t.parent[0] != kNoIndex || t.childStart.size() != t.nodeCount() + 1)
        return "root";
    std::vector<int> seen(t.nodeCount(), 0);
    for (uint32_t v = 0; v < t.nodeCount(); ++v) {
        for (uint32_t k = 0; k < t.childCount(v); ++k) {
            const uint32_t c = t.child(v, k);
            if (t.parent[c] != v || t.depth[c] != t.depth[v] + 1 || c <= v || t.row(c) != k)
                return QStringLiteral("links of node %1").arg(c);
            ++seen[c];
        }
        for (size_t col = 0; col < t.kinds.size(); ++col) {
            int64_t sum = 0;
            for (uint32_t k = 0; k < t.childCount(v); ++k)
                sum += t.total[col][t.child(v, k)];
            if (!t.bottomUp && t.kinds[col] != CostKind::Delta && sum > t.total[col][v])
                return QStringLiteral("node %1: children %2, total %3")
                    .arg(v)
                    .arg(sum)
                    .arg(t.total[col][v]);
        }
    }
    for (uint32_t v = 1; v < t.nodeCount(); ++v)
        if (seen[v] != 1)
            return QStringLiteral("node %1 is a child %2 times").arg(v).arg(seen[v]);
    return {};
}

// A node's path of merge keys from the root.
std::vector<uint64_t> keyPath(const ProfileData& d, const CallTree& t, uint32_t node)
{
    std::vector<uint64_t> path;
    for (uint32_t v = node; v != 0; v = t.parent[v])
        path.push_back(frameMergeKey(d, t.frame[v]));
    return {path.rbegin(), path.rend()};
}

// What a top-down tree must hold, summed the slow way: every cost entry's stack as a path of
// merge keys, its first column's cost added to each prefix of that path.
std::map<std::vector<uint64_t>, int64_t> prefixSums(const ProfileData& d, uint32_t snapshot)
{
    std::map<std::vector<uint64_t>, int64_t> sums;
    const auto add = [&](uint32_t stack, int64_t value) {
        std::vector<uint64_t> path;
        for (uint32_t s = stack; s != kNoIndex; s = d.stacks[s].parent)
            path.push_back(frameMergeKey(d, d.stacks[s].frame));
        std::reverse(path.begin(), path.end());
        for (size_t n = 1; n <= path.size(); ++n)
            sums[std::vector<uint64_t>(path.begin(), path.begin() + long(n))] += value;
    };
    const SnapshotData& s = d.snapshots[snapshot];
    for (const StackCost& c : s.costs)
        add(c.stack, int64_t(c.size));
    for (const HeapCost& c : s.heap.costs)
        add(c.stack, int64_t(c.peakBytes));
    return sums;
}

bool sameTree(const CallTree& a, const CallTree& b)
{
    return a.parent == b.parent && a.frame == b.frame && a.depth == b.depth &&
           a.children == b.children && a.total == b.total;
}

} // namespace

class TestCallTree : public QObject
{
    Q_OBJECT

private slots:
    void tracemalloc_data()
    {
        QTest::addColumn<QString>("truthPath");
        for (const QString& t : hstest::truthFiles())
            QTest::newRow(qPrintable(QFileInfo(t).completeBaseName())) << t;
    }
    void tracemalloc()
    {
        QFETCH(QString, truthPath);
        const QJsonObject truth = hstest::readJson(truthPath);
        const ProfileData d = InputLoader::load(hstest::picklePathFor(truthPath).toStdString(), {});
        const CallTree top = buildCallTree(d, 0, {});
        const CallTree bottom = buildCallTree(d, 0, {.bottomUp = true});
        QCOMPARE(top.kinds, (std::vector<CostKind>{CostKind::Size, CostKind::Count}));
        for (const CallTree* t : {&top, &bottom}) {
            const QString problem = structureProblem(*t);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QCOMPARE(t->total[0][0], truth["total_size"].toInteger());
            QCOMPARE(t->total[1][0], truth["total_count"].toInteger());
        }

        // Bottom-up, the first level is statistics('lineno').
        std::map<Key, QPair<qint64, qint64>> lineno;
        // Large dumps' truths list the top ten only.
        const bool all = truth.contains("statistics_lineno_all");
        for (const auto& r : hstest::rowsFromTruth(
                 truth[all ? "statistics_lineno_all" : "statistics_lineno_top10"].toArray(),
                 GroupBy::Lineno, false))
            lineno[r.frames[0]] = {r.size, r.count};
        std::map<Key, QPair<qint64, qint64>> firstLevel;
        for (uint32_t k = 0; k < bottom.childCount(0); ++k) {
            const uint32_t c = bottom.child(0, k);
            firstLevel[keyOf(d, bottom.frame[c])] = {bottom.total[0][c], bottom.total[1][c]};
            QCOMPARE(bottom.selfCost(0, c), bottom.total[0][c]);
        }
        for (const auto& [k, v] : lineno)
            QVERIFY2(firstLevel.count(k) && firstLevel[k] == v,
                     qPrintable(QStringLiteral("%1:%2 size %3 count %4, tree %5 %6")
                                    .arg(k.first)
                                    .arg(k.second)
                                    .arg(v.first)
                                    .arg(v.second)
                                    .arg(firstLevel[k].first)
                                    .arg(firstLevel[k].second)));
        QCOMPARE(qint64(firstLevel.size()), truth["statistics_lineno_groups"].toInteger());

        // Top-down, each traceback group is a path from the oldest frame; its end node's own
        // cost is the group's.
        const bool allTracebacks = truth.contains("statistics_traceback_all");
        const auto groups = hstest::rowsFromTruth(
            truth[allTracebacks ? "statistics_traceback_all" : "statistics_traceback_top5"]
                .toArray(),
            GroupBy::Traceback, false);
        QVERIFY(!groups.isEmpty() || truth["total_count"].toInteger() == 0);
        for (const auto& g : groups) {
            uint32_t node = 0;
            for (qsizetype f = g.frames.size(); f-- > 0;) {
                uint32_t next = kNoIndex;
                for (uint32_t k = 0; k < top.childCount(node); ++k)
                    if (keyOf(d, top.frame[top.child(node, k)]) == g.frames[f])
                        next = top.child(node, k);
                QVERIFY2(next != kNoIndex, qPrintable(hstest::describe(g)));
                node = next;
            }
            QCOMPARE(top.selfCost(0, node), g.size);
            QCOMPARE(top.selfCost(1, node), g.count);
        }
    }

    void heaptrack_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("bottomUp");
        QTest::addColumn<bool>("collapse");
        for (const char* name :
             {"cpp_leak_temporary_demo", "python3_dicts_lists_leak", "sqlite3_orders_workload"})
            for (const bool bottomUp : {false, true})
                for (const bool collapse : {false, true})
                    QTest::addRow("%s%s%s", name, bottomUp ? " bottom-up" : "",
                                  collapse ? " collapsed" : "")
                        << name << bottomUp << collapse;
    }
    void heaptrack()
    {
        QFETCH(QString, name);
        QFETCH(bool, bottomUp);
        QFETCH(bool, collapse);
        const QString dir = QStringLiteral(HEAPSCOPE_TEST_DATA "/heaptrack/");
        const QJsonObject sums =
            hstest::readJson(dir + name + ".truth.json")["heaptrack_print_flamegraph_sums"]
                .toObject();
        const ProfileData d = InputLoader::load((dir + name + ".zst").toStdString(), {});
        const CallTree t =
            buildCallTree(d, 0, {.bottomUp = bottomUp, .collapseRecursion = collapse});
        const QString problem = structureProblem(t);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const std::pair<CostKind, const char*> kinds[] = {{CostKind::Allocations, "allocations"},
                                                          {CostKind::Temporary, "temporary"},
                                                          {CostKind::Peak, "peak"},
                                                          {CostKind::Leaked, "leaked"}};
        for (const auto& [kind, key] : kinds) {
            QVERIFY(t.column(kind) >= 0);
            QCOMPARE(t.total[size_t(t.column(kind))][0], sums[key].toInteger());
        }
        // Merged by function: no two children of a node share a function and module.
        for (uint32_t v = 0; v < t.nodeCount(); ++v) {
            std::set<std::pair<uint32_t, uint32_t>> seen;
            for (uint32_t k = 0; k < t.childCount(v); ++k) {
                const Frame& f = d.frames[t.frame[t.child(v, k)]];
                if (f.function != kNoIndex)
                    QVERIFY(seen.insert({f.function, f.module}).second);
            }
            if (collapse && v > 0)
                for (uint32_t k = 0; k < t.childCount(v); ++k)
                    QVERIFY(d.frames[t.frame[t.child(v, k)]].function !=
                                d.frames[t.frame[v]].function ||
                            d.frames[t.frame[t.child(v, k)]].module != d.frames[t.frame[v]].module);
        }
    }

    // The merged stacks an import computes (and a .heapscope keeps) give the tree the slow
    // sum gives; a mapping that does not fit the stacks is recomputed, not trusted.
    void mergedStacks_data()
    {
        QTest::addColumn<QStringList>("inputs");
        const QString dir = QStringLiteral(HEAPSCOPE_TEST_DATA "/");
        QTest::newRow("heaptrack") << QStringList{dir + "heaptrack/cpp_leak_temporary_demo.zst"};
        QTest::newRow("heaptrack python")
            << QStringList{dir + "heaptrack/python3_dicts_lists_leak.zst"};
        // Two dumps share one trie: each snapshot leaves the other's stacks out.
        QTest::newRow("tracemalloc series")
            << QStringList{dir + "tracemalloc/batch1001-py311.pickle",
                           dir + "tracemalloc/bst-build-py310-tb50.pickle"};
        // The heaptrack import merges ahead on another thread; what is interned after it (the
        // next input's stacks) must make the merge start over, not leave it stale.
        QTest::newRow("heaptrack then tracemalloc")
            << QStringList{dir + "heaptrack/cpp_leak_temporary_demo.zst",
                           dir + "tracemalloc/batch1001-py311.pickle"};
        QTest::newRow("two heaptrack")
            << QStringList{dir + "heaptrack/python3_dicts_lists_leak.zst",
                           dir + "heaptrack/cpp_leak_temporary_demo.zst"};
    }
    void mergedStacks()
    {
        QFETCH(QStringList, inputs);
        ProfileBuilder builder;
        for (const QString& in : inputs)
            InputLoader::importRaw(in.toStdString(), builder, {});
        ProfileData d = builder.take();
        QCOMPARE(d.mergedStacks.size(), d.stacks.size());
        QCOMPARE(d.mergedStacks, mergeStacks(d));
        // The same numbering by a plain map: a node is its merged parent and its frame's key,
        // numbered in order of first appearance.
        std::map<std::pair<uint32_t, uint64_t>, uint32_t> nodeOf;
        std::vector<uint32_t> reference(d.stacks.size());
        for (size_t st = 0; st < d.stacks.size(); ++st) {
            const uint32_t parent =
                d.stacks[st].parent == kNoIndex ? kNoIndex : reference[d.stacks[st].parent];
            const auto key = std::make_pair(parent, frameMergeKey(d, d.stacks[st].frame));
            reference[st] = nodeOf.emplace(key, uint32_t(nodeOf.size())).first->second;
        }
        QCOMPARE(d.mergedStacks, reference);

        QTemporaryDir tmp;
        const std::string path = tmp.filePath("t.heapscope").toStdString();
        StoreWriter::write(d, path);
        const ProfileData back = Store(path).load();
        QCOMPARE(back.mergedStacks, d.mergedStacks);

        for (uint32_t snap = 0; snap < d.snapshots.size(); ++snap) {
            const CallTree t = buildCallTree(d, snap, {});
            const QString problem = structureProblem(t);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            const auto sums = prefixSums(d, snap);
            QCOMPARE(t.nodeCount(), sums.size() + 1);
            for (uint32_t v = 1; v < t.nodeCount(); ++v) {
                const auto it = sums.find(keyPath(d, t, v));
                QVERIFY(it != sums.end());
                QCOMPARE(t.total[0][v], it->second);
            }
            QVERIFY(sameTree(buildCallTree(back, snap, {}), t));
            const MergedTree once = mergedTree(d); // as the window computes it, once per input
            QVERIFY(once.recomputed.empty());
            QVERIFY(sameTree(buildCallTree(d, snap, {}, &once), t));

            ProfileData damaged = d;
            damaged.mergedStacks.assign(d.stacks.size(), 0); // every stack one node
            QVERIFY(sameTree(buildCallTree(damaged, snap, {}), t));
            const MergedTree fixed = mergedTree(damaged);
            QCOMPARE(fixed.recomputed, d.mergedStacks);
            QVERIFY(sameTree(buildCallTree(damaged, snap, {}, &fixed), t));
            damaged.mergedStacks.pop_back();
            QVERIFY(sameTree(buildCallTree(damaged, snap, {}), t));
            damaged.mergedStacks.clear();
            QVERIFY(sameTree(buildCallTree(damaged, snap, {}), t));
        }
    }

    void timeWindow()
    {
        // The whole recording as a window: the window's columns sum to the whole's.
        const ProfileData d =
            InputLoader::load(HEAPSCOPE_TEST_DATA "/heaptrack/cpp_leak_temporary_demo.zst", {});
        const CallTree whole = buildCallTree(d, 0, {});
        const CallTree window =
            buildCallTree(d, 0, {.windowed = true, .fromMs = 0, .toMs = INT64_MAX / 2});
        QCOMPARE(window.kinds, (std::vector<CostKind>{CostKind::Allocations, CostKind::Temporary,
                                                      CostKind::Delta, CostKind::Allocated}));
        for (const CostKind k : {CostKind::Allocations, CostKind::Temporary, CostKind::Allocated})
            QCOMPARE(window.total[size_t(window.column(k))][0],
                     whole.total[size_t(whole.column(k))][0]);
        // Over the whole run, what was consumed and not given back is what leaked, suppressed
        // or not.
        int64_t leaked = 0;
        for (const HeapCost& c : d.snapshots[0].heap.costs)
            leaked += int64_t(c.leakedBytes + c.suppressedBytes);
        QCOMPARE(window.total[size_t(window.column(CostKind::Delta))][0], leaked);
    }
};

QTEST_GUILESS_MAIN(TestCallTree)
#include "tst_calltree.moc"
