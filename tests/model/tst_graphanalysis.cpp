// The graph algorithms against definitions computed the slow way on small random graphs:
// components by mutual reachability, dominators and retained sizes by deleting a node and
// seeing what the roots no longer reach, garbage by reachability, paths by breadth-first depth.

#include "dominatortree.h"
#include "graphanalysis.h"
#include "graphdot.h"
#include "graphqueries.h"
#include "profiledata.h"
#include "strongcomponents.h"

#include <QTest>
#include <random>
#include <set>

using namespace hs;

namespace {

struct Random
{
    ObjectGraph graph;
    std::vector<std::string> strings{"T0", "T1", "T2", "module", "e"};
};

Random randomGraph(uint32_t seed, uint32_t nodes, double degree, uint32_t recordedRoots)
{
    std::mt19937 rng(seed);
    Random r;
    ObjectGraph& g = r.graph;
    std::vector<std::pair<uint32_t, uint32_t>> edges;
    for (uint32_t v = 0; v < nodes; ++v) {
        g.address.push_back(1000 + 16 * ((v * 7919u) % nodes)); // distinct, not in index order
        g.type.push_back(rng() % 3);
        g.size.push_back(1 + rng() % 100);
        g.label.push_back(kNoIndex);
        g.flags.push_back(ObjectGraph::Tracked);
        g.traceback.push_back(kNoIndex);
    }
    const auto count = static_cast<uint32_t>(degree * nodes);
    for (uint32_t k = 0; k < count && nodes > 0; ++k)
        edges.emplace_back(rng() % nodes, rng() % nodes);
    std::sort(edges.begin(), edges.end());
    g.edges = Adjacency::fromEdges(nodes, edges);
    g.edgeName.assign(edges.size(), 4);
    for (uint32_t k = 0; k < recordedRoots && nodes > 0; ++k)
        g.roots.push_back({static_cast<uint32_t>(rng() % nodes), 3, 3});
    return r;
}

// Nodes reached from `from` without passing through `removed`.
std::vector<uint8_t> reach(const Adjacency& g, const std::vector<uint32_t>& from,
                           const std::vector<uint8_t>& removed)
{
    std::vector<uint8_t> seen(g.nodeCount(), 0);
    std::vector<uint32_t> queue;
    for (const uint32_t v : from)
        if (!removed[v] && !seen[v]) {
            seen[v] = 1;
            queue.push_back(v);
        }
    for (size_t k = 0; k < queue.size(); ++k)
        for (uint64_t e = g.begin(queue[k]); e < g.end(queue[k]); ++e) {
            const uint32_t w = g.target[e];
            if (!removed[w] && !seen[w]) {
                seen[w] = 1;
                queue.push_back(w);
            }
        }
    return seen;
}

void addRows()
{
    QTest::addColumn<uint32_t>("seed");
    QTest::addColumn<uint32_t>("nodes");
    QTest::addColumn<double>("degree");
    QTest::addColumn<uint32_t>("roots");
    QTest::newRow("empty") << 1u << 0u << 0.0 << 0u;
    QTest::newRow("one node") << 2u << 1u << 0.0 << 0u;
    QTest::newRow("self loop") << 3u << 1u << 1.0 << 0u;
    for (uint32_t seed = 10; seed < 70; ++seed) {
        const uint32_t nodes = 2 + seed % 29;
        const double degree = 0.5 + (seed % 5) * 0.4;
        QTest::addRow("random %u: %u nodes, degree %.1f", seed, nodes, degree)
            << seed << nodes << degree << seed % 4;
    }
}

} // namespace

class TestGraphAnalysis : public QObject
{
    Q_OBJECT

private slots:
    void components_data() { addRows(); }
    void components()
    {
        QFETCH(uint32_t, seed);
        QFETCH(uint32_t, nodes);
        QFETCH(double, degree);
        QFETCH(uint32_t, roots);
        const ObjectGraph g = randomGraph(seed, nodes, degree, roots).graph;
        const StrongComponents scc = strongComponents(g.edges);
        const std::vector<uint8_t> none(nodes, 0);
        std::vector<std::vector<uint8_t>> reached;
        for (uint32_t v = 0; v < nodes; ++v)
            reached.push_back(reach(g.edges, {v}, none));
        for (uint32_t v = 0; v < nodes; ++v)
            for (uint32_t w = 0; w < nodes; ++w) {
                const bool mutual = reached[v][w] && reached[w][v];
                QCOMPARE(scc.component[v] == scc.component[w], mutual);
                // Reverse topological numbering: an edge never goes to a later component.
                if (reached[v][w])
                    QVERIFY(scc.component[w] <= scc.component[v]);
            }
        std::set<uint32_t> distinct(scc.component.begin(), scc.component.end());
        QCOMPARE(distinct.size(), size_t(scc.count));
    }

    void dominators_data() { addRows(); }
    void dominators()
    {
        QFETCH(uint32_t, seed);
        QFETCH(uint32_t, nodes);
        QFETCH(double, degree);
        if (nodes == 0)
            return;
        const ObjectGraph g = randomGraph(seed, nodes, degree, 0).graph;
        const DominatorTree tree = dominatorTree(g.edges, 0);
        std::vector<uint8_t> removed(nodes, 0);
        const std::vector<uint8_t> reachable = reach(g.edges, {0}, removed);
        // dominators[w]: nodes whose removal cuts w off from the root.
        std::vector<std::set<uint32_t>> dominators(nodes);
        for (uint32_t d = 1; d < nodes; ++d) {
            removed.assign(nodes, 0);
            removed[d] = 1;
            const std::vector<uint8_t> left = reach(g.edges, {0}, removed);
            for (uint32_t w = 0; w < nodes; ++w)
                if (reachable[w] && w != d && !left[w])
                    dominators[w].insert(d);
        }
        std::vector<uint64_t> expectRetained(nodes, 0);
        for (uint32_t w = 0; w < nodes; ++w) {
            if (!reachable[w]) {
                QCOMPARE(tree.idom[w], DominatorTree::kNone);
                continue;
            }
            expectRetained[w] += g.size[w];
            std::set<uint32_t> chain; // strict dominators by the tree
            for (uint32_t d = tree.idom[w]; d != DominatorTree::kNone; d = tree.idom[d])
                if (d != 0)
                    chain.insert(d);
            QCOMPARE(chain, dominators[w]);
            QCOMPARE(tree.idom[w] == DominatorTree::kNone, w == 0);
            for (const uint32_t d : dominators[w])
                expectRetained[d] += g.size[w];
        }
        expectRetained[0] = 0;
        for (uint32_t w = 0; w < nodes; ++w)
            expectRetained[0] += reachable[w] ? g.size[w] : 0;
        const std::vector<uint64_t> retained = retainedSizes(tree, g.size);
        for (uint32_t w = 0; w < nodes; ++w)
            QCOMPARE(retained[w], reachable[w] ? expectRetained[w] : g.size[w]);
    }

    void analysis_data() { addRows(); }
    void analysis()
    {
        QFETCH(uint32_t, seed);
        QFETCH(uint32_t, nodes);
        QFETCH(double, degree);
        QFETCH(uint32_t, roots);
        const Random r = randomGraph(seed, nodes, degree, roots);
        const ObjectGraph& g = r.graph;
        const GraphAnalysis a = analyseGraph(g);
        // Roots: recorded, or referred to by nothing.
        std::vector<uint32_t> rootList;
        const std::vector<uint8_t> isRoot = graphRoots(g);
        std::vector<uint8_t> referred(nodes, 0);
        for (const uint32_t t : g.edges.target)
            referred[t] = 1;
        for (uint32_t v = 0; v < nodes; ++v) {
            bool recorded = false;
            for (const auto& root : g.roots)
                recorded |= root.node == v;
            QCOMPARE(isRoot[v] != 0, recorded || !referred[v]);
            if (isRoot[v])
                rootList.push_back(v);
        }
        const std::vector<uint8_t> none(nodes, 0);
        const std::vector<uint8_t> alive = reach(g.edges, rootList, none);
        for (uint32_t v = 0; v < nodes; ++v)
            QCOMPARE(a.garbage[v] != 0, !alive[v]);
        // Entries for retained sizes: the roots and garbage groups no other group refers to.
        std::vector<uint32_t> entries = rootList;
        std::vector<std::vector<uint8_t>> reached;
        for (uint32_t v = 0; v < nodes; ++v)
            reached.push_back(reach(g.edges, {v}, none));
        for (uint32_t v = 0; v < nodes; ++v) {
            if (alive[v])
                continue;
            bool fromOutside = false;
            for (uint32_t u = 0; u < nodes; ++u)
                fromOutside |= reached[u][v] && !reached[v][u];
            if (!fromOutside)
                entries.push_back(v);
        }
        const auto freedWithout = [&](const std::vector<uint8_t>& removed) {
            const std::vector<uint8_t> left = reach(g.edges, entries, removed);
            uint64_t freed = 0;
            for (uint32_t w = 0; w < nodes; ++w)
                freed += (removed[w] || !left[w]) ? g.size[w] : 0;
            return freed;
        };
        for (uint32_t v = 0; v < nodes; ++v) {
            std::vector<uint8_t> removed(nodes, 0);
            removed[v] = 1;
            QCOMPARE(a.retained[v], freedWithout(removed));
            std::vector<uint8_t> group(nodes, 0);
            for (uint32_t w = 0; w < nodes; ++w)
                group[w] = a.component[w] == a.component[v];
            QCOMPARE(a.componentRetained[a.component[v]], freedWithout(group));
        }
        // Cycles: components of two or more, or with a self reference.
        const auto cycles = graphCycles(g, a);
        size_t inCycles = 0;
        for (const GraphCycle& c : cycles) {
            inCycles += c.members.size();
            QCOMPARE(c.garbage, a.garbage[c.members.front()] != 0);
            QCOMPARE(c.retained, a.componentRetained[c.component]);
        }
        size_t expectInCycles = 0;
        for (uint32_t v = 0; v < nodes; ++v) {
            bool cyclic = false;
            for (uint64_t e = g.edges.begin(v); e < g.edges.end(v); ++e)
                cyclic |= reached[g.edges.target[e]][v] != 0;
            expectInCycles += cyclic;
        }
        QCOMPARE(inCycles, expectInCycles);
        for (size_t k = 1; k < cycles.size(); ++k)
            QVERIFY(cycles[k - 1].retained >= cycles[k].retained);
        // Census: retained per type is the union of what the type's objects dominate.
        const auto census = typeCensus(g, a, true, CensusSort::Count, r.strings);
        for (const TypeCensus& t : census) {
            std::vector<uint8_t> removed(nodes, 0);
            uint64_t count = 0;
            for (uint32_t w = 0; w < nodes; ++w)
                if (g.type[w] == t.type) {
                    removed[w] = 1;
                    ++count;
                }
            QCOMPARE(t.count, count);
            // Each object's own subtree is freed with it; a type's figure is the union of
            // them, which is at most what removing every object of the type frees.
            QVERIFY(t.retained <= freedWithout(removed));
            uint64_t unionSize = 0;
            for (uint32_t w = 0; w < nodes; ++w) {
                bool dominated = false;
                for (uint32_t d = w; d != kNoIndex && !dominated; d = a.idom[d])
                    dominated = g.type[d] == t.type;
                unionSize += dominated ? g.size[w] : 0;
            }
            QCOMPARE(t.retained, unionSize);
        }
        // Paths: as short as breadth first says, along real edges.
        for (uint32_t v = 0; v < nodes; ++v) {
            const auto path = retainingPath(g, a, v);
            QVERIFY(!path.empty());
            QCOMPARE(path.back().node, v);
            for (size_t k = 0; k + 1 < path.size(); ++k) {
                bool edge = false;
                for (uint64_t e = g.edges.begin(path[k].node); e < g.edges.end(path[k].node); ++e)
                    edge |= g.edges.target[e] == path[k + 1].node;
                QVERIFY(edge);
            }
            if (alive[v]) {
                QVERIFY(isRoot[path.front().node]);
                // No root reaches v in fewer steps.
                std::vector<uint32_t> frontier = rootList;
                std::vector<uint8_t> seen(nodes, 0);
                for (const uint32_t x : frontier)
                    seen[x] = 1;
                size_t depth = 0;
                while (!seen[v]) {
                    std::vector<uint32_t> next;
                    for (const uint32_t x : frontier)
                        for (uint64_t e = g.edges.begin(x); e < g.edges.end(x); ++e)
                            if (!seen[g.edges.target[e]]) {
                                seen[g.edges.target[e]] = 1;
                                next.push_back(g.edges.target[e]);
                            }
                    frontier = next;
                    ++depth;
                }
                QCOMPARE(path.size(), depth + 1);
            } else {
                bool referredFromOutside = false;
                for (uint32_t u = 0; u < nodes; ++u)
                    for (uint64_t e = g.edges.begin(u); e < g.edges.end(u); ++e)
                        referredFromOutside |= a.component[g.edges.target[e]] == a.component[v] &&
                                               a.component[u] != a.component[v];
                if (referredFromOutside)
                    continue;
                // Kept by its own cycle: the shortest way round from v back to v.
                QCOMPARE(path.front().node, v);
                std::vector<uint32_t> frontier{v};
                std::vector<uint8_t> seen(nodes, 0);
                size_t length = 0;
                bool closed = false;
                while (!closed && !frontier.empty()) {
                    std::vector<uint32_t> next;
                    ++length;
                    for (const uint32_t x : frontier)
                        for (uint64_t e = g.edges.begin(x); e < g.edges.end(x); ++e) {
                            const uint32_t w = g.edges.target[e];
                            closed |= w == v;
                            if (!seen[w] && a.component[w] == a.component[v]) {
                                seen[w] = 1;
                                next.push_back(w);
                            }
                        }
                    frontier = next;
                }
                QVERIFY(closed);
                QCOMPARE(path.size(), length + 1);
            }
        }
    }

    void typeGraphCounts()
    {
        const Random r = randomGraph(99, 30, 2.0, 2);
        const TypeGraph tg = typeGraph(r.graph);
        uint64_t nodes = 0, edges = 0;
        for (const auto& n : tg.nodes)
            nodes += n.count;
        for (const auto& e : tg.edges)
            edges += e.count;
        QCOMPARE(nodes, uint64_t(30));
        QCOMPARE(edges, uint64_t(r.graph.edges.edgeCount()));
    }

    void dotText_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("cycle") << "cycle"
                               << "digraph heapscope {\n  label=\"a \\\"ring\\\"\";\n"
                                  "  labelloc=t;\n  node [shape=box, fontname=\"sans-serif\"];\n"
                                  "  o10 [label=\"T0\\nx\\n8 B\"];\n"
                                  "  o20 [label=\"T1\\n16 B\"];\n"
                                  "  o10 -> o20 [label=\"e\"];\n  o20 -> o10;\n}\n";
        QTest::newRow("referrers, depth 1")
            << "depth1"
            << "digraph heapscope {\n  label=\"a \\\"ring\\\"\";\n"
               "  labelloc=t;\n  node [shape=box, fontname=\"sans-serif\"];\n"
               "  o10 [label=\"T0\\nx\\n8 B\"];\n  o20 [label=\"T1\\n16 B\"];\n"
               "  o30 [label=\"T2\\n32 B\"];\n"
               "  o10 -> o20 [label=\"e\"];\n  o20 -> o10;\n  o30 -> o10;\n}\n";
    }
    void dotText()
    {
        QFETCH(QString, mode);
        QFETCH(QString, expected);
        // 10 <-> 20 a ring, 30 -> 10 a referrer, 40 -> 30 two levels up.
        ObjectGraph g;
        g.address = {0x10, 0x20, 0x30, 0x40};
        g.type = {0, 1, 2, 2};
        g.size = {8, 16, 32, 64};
        g.label = {5, kNoIndex, kNoIndex, kNoIndex};
        g.flags.assign(4, ObjectGraph::Tracked);
        g.traceback.assign(4, kNoIndex);
        g.edges = Adjacency::fromEdges(4, {{0, 1}, {1, 0}, {2, 0}, {3, 2}});
        g.edgeName = {4, kNoIndex, kNoIndex, kNoIndex};
        const std::vector<std::string> strings{"T0", "T1", "T2", "module", "e", "x"};
        const std::vector<uint32_t> nodes = mode == QStringLiteral("cycle")
                                                ? std::vector<uint32_t>{1, 0}
                                                : referrerNeighbourhood(g, 0, 1);
        QCOMPARE(QString::fromStdString(graphDot(g, strings, nodes, "a \"ring\"")), expected);
        QCOMPARE(referrerNeighbourhood(g, 0, 2).size(), size_t(4));
        QCOMPARE(referrerNeighbourhood(g, 0, 0), std::vector<uint32_t>{0});
    }

    void longChainNeedsNoRecursion()
    {
        // A million-node chain closed into a ring: one component, the head dominates all.
        const uint32_t n = 1000000;
        std::vector<std::pair<uint32_t, uint32_t>> edges;
        for (uint32_t v = 0; v < n; ++v)
            edges.emplace_back(v, (v + 1) % n);
        const Adjacency g = Adjacency::fromEdges(n, edges);
        QCOMPARE(strongComponents(g).count, 1u);
        const DominatorTree tree = dominatorTree(g, 0);
        QCOMPARE(tree.idom[n - 1], n - 2);
        QCOMPARE(retainedSizes(tree, std::vector<uint64_t>(n, 1))[0], uint64_t(n));
    }
};

QTEST_GUILESS_MAIN(TestGraphAnalysis)
#include "tst_graphanalysis.moc"
