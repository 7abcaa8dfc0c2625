// The flame-graph benchmark (issue targets), printed as a table. Not a test: it measures the
// flame graph's level of detail and the path from a .heapscope file to a painted flame graph,
// against heaptrack_print (the anchor) on the same machine, in the same run.
//
//   bench_flamegraph [--runs N] [--file RECORDING] [--dir DIR]     (--cache DIR: same as --dir)
//
// 1. Level of detail: layout + paint of a synthetic 1,000,000-frame call tree into a 1920x1080
//    image costs at most twice that of a 1,000-frame tree.
// 2. The paint array (buildCallTree + flameOrder + layoutFlame) of a synthetic tracemalloc
//    snapshot whose stack trie has 1,000,000 nodes takes under 0.5 s.
// 3. Opening the .heapscope of the large heaptrack recording (made once by
//    tests/benchmarks/make_large_heaptrack.sh, imported once and kept in DIR) up to a painted
//    flame graph takes at most 1/100 of heaptrack_print's time on the original.
// 4. `heapscope export --view flamegraph` of that file (the window's load, tree and paint path,
//    headless) peaks below heaptrack_print's RSS.

#include "benchprocess.h"
#include "calltree.h"
#include "flamelayout.h"
#include "flamepainter.h"
#include "largerecording.h"
#include "profiledata.h"
#include "store.h"

#include <QFontDatabase>
#include <QFontMetrics>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using bench::Clock;
using bench::median;
using bench::msSince;
using bench::statusKb;
using bench::tryRun;

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;
constexpr size_t kMaxDepth = 128;         // the walk below climbs back from here
constexpr uint32_t kMaxFanOut = 8192;     // children of one node, at most
constexpr uint32_t kFramePool = 1u << 17; // synthetic frames (a power of two, > kMaxFanOut)
constexpr uint32_t kFiles = 3000;

[[gnu::format(printf, 1, 2)]] std::string format(const char* fmt, ...)
{
    char buf[256];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

// splitmix64: deterministic on every platform (the standard distributions are not).
class Rng
{
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) / 9007199254740992.0; } // [0, 1)

private:
    uint64_t m_state;
};

// The shape of a random call tree, node 0 the root, parents before children: a depth-first
// walk that goes one call deeper or returns from a few (more often the deeper it is), so
// stacks are mostly 10..40 deep, nodes near the root have many children and deep ones few,
// as in real profiles.
struct Shape
{
    std::vector<uint32_t> parent;   // hs::kNoIndex for the root
    std::vector<uint32_t> ordinal;  // among its siblings
    std::vector<uint32_t> children; // how many
    std::vector<uint16_t> depth;
    size_t size() const { return parent.size(); }
};

Shape randomShape(size_t n, uint64_t seed)
{
    Rng rng(seed);
    Shape s;
    s.parent.assign(n, hs::kNoIndex);
    s.ordinal.assign(n, 0);
    s.children.assign(n, 0);
    s.depth.assign(n, 0);
    std::vector<uint32_t> path{0}; // the root .. the node made last
    for (size_t v = 1; v < n; ++v) {
        const size_t depth = path.size() - 1;
        const double deeper = std::clamp(0.75 - 0.01 * double(depth), 0.2, 0.75);
        if (depth > 0 && (depth >= kMaxDepth || rng.uniform() >= deeper)) {
            size_t up = 1;
            while (up < depth && rng.uniform() < 0.5)
                ++up;
            if (s.children[path[path.size() - 1 - up]] < kMaxFanOut)
                path.resize(path.size() - up);
        }
        const uint32_t p = path.back();
        s.parent[v] = p;
        s.ordinal[v] = s.children[p]++;
        s.depth[v] = static_cast<uint16_t>(s.depth[p] + 1);
        path.push_back(static_cast<uint32_t>(v));
    }
    return s;
}

// Own costs: every leaf allocates (sizes spread over four orders of magnitude), a quarter of
// the inner frames too.
void randomCosts(const Shape& s, uint64_t seed, std::vector<uint64_t>& size,
                 std::vector<uint64_t>& count)
{
    Rng rng(seed);
    size.assign(s.size(), 0);
    count.assign(s.size(), 0);
    for (size_t v = 1; v < s.size(); ++v) {
        const bool leaf = s.children[v] == 0;
        if (!leaf && rng.uniform() >= 0.25)
            continue;
        size[v] = 16 * (1 + static_cast<uint64_t>(std::exp(rng.uniform() * (leaf ? 12.0 : 8.0))));
        count[v] = 1 + size[v] / 256;
    }
}

// A frame for node v, distinct among its siblings (so a merged call tree keeps every node).
uint32_t frameOf(const Shape& s, size_t v)
{
    Rng hash(s.parent[v]);
    const auto base = static_cast<uint32_t>(hash.next());
    return (base + s.ordinal[v] * 40503u) & (kFramePool - 1);
}

// Python-like frames: file and line, with a function name when `functions`.
void addFrames(hs::ProfileData& data, bool functions)
{
    data.strings.clear();
    data.frames.assign(kFramePool, hs::Frame());
    for (uint32_t f = 0; f < kFiles; ++f)
        data.strings.push_back("lib/package_" + std::to_string(f % 50) + "/module_" +
                               std::to_string(f) + ".py");
    for (uint32_t i = 0; i < kFramePool; ++i) {
        hs::Frame& frame = data.frames[i];
        frame.file = i % kFiles;
        frame.line = static_cast<int64_t>(i / kFiles) + 1;
        if (functions) {
            frame.function = static_cast<uint32_t>(data.strings.size());
            data.strings.push_back("Handler" + std::to_string(i % 97) + ".process_item_" +
                                   std::to_string(i));
        }
    }
}

// A call tree made directly (what buildCallTree returns), with Size and Count columns.
hs::CallTree makeCallTree(const Shape& s, const std::vector<uint64_t>& size,
                          const std::vector<uint64_t>& count)
{
    const size_t n = s.size();
    hs::CallTree tree;
    tree.parent.assign(s.parent.begin(), s.parent.end());
    tree.depth.assign(s.depth.begin(), s.depth.end());
    tree.frame.assign(n, hs::kNoIndex);
    for (size_t v = 1; v < n; ++v)
        tree.frame[v] = frameOf(s, v);
    tree.childStart.assign(n + 1, 0);
    for (size_t v = 1; v < n; ++v)
        ++tree.childStart[tree.parent[v] + 1];
    for (size_t v = 0; v < n; ++v)
        tree.childStart[v + 1] += tree.childStart[v];
    tree.children.assign(n - 1, 0);
    std::vector<uint32_t> next(tree.childStart.begin(), tree.childStart.end() - 1);
    for (size_t v = 1; v < n; ++v)
        tree.children[next[tree.parent[v]]++] = static_cast<uint32_t>(v);
    tree.kinds = {hs::CostKind::Size, hs::CostKind::Count};
    tree.total.assign(2, hs::TreeArray<int64_t>(n, 0));
    for (size_t v = 0; v < n; ++v) {
        tree.total[0][v] = static_cast<int64_t>(size[v]);
        tree.total[1][v] = static_cast<int64_t>(count[v]);
    }
    for (size_t v = n; v-- > 1;)
        for (size_t c = 0; c < 2; ++c)
            tree.total[c][tree.parent[v]] += tree.total[c][v];
    return tree;
}

// A tracemalloc snapshot whose stack trie is the shape without its root (trie node v - 1 is
// tree node v), every stack with an own cost one StackCost row.
hs::ProfileData makeTracemallocData(const Shape& s, const std::vector<uint64_t>& size,
                                    const std::vector<uint64_t>& count)
{
    hs::ProfileData data;
    addFrames(data, false);
    data.stacks.resize(s.size() - 1);
    for (size_t v = 1; v < s.size(); ++v) {
        hs::StackNode& node = data.stacks[v - 1];
        node.parent = s.parent[v] == 0 ? hs::kNoIndex : s.parent[v] - 1;
        node.frame = frameOf(s, v);
    }
    data.recordings.emplace_back();
    data.recordings.back().kind = "tracemalloc";
    data.recordings.back().sourceName = "synthetic";
    data.snapshots.emplace_back();
    hs::SnapshotData& snap = data.snapshots.back();
    snap.info.recording = 0;
    snap.info.label = "synthetic";
    snap.info.timeMs = 0;
    snap.info.tracebackLimit = static_cast<int64_t>(kMaxDepth) * 2;
    snap.info.python = "3.9+";
    for (size_t v = 1; v < s.size(); ++v) {
        if (size[v] == 0)
            continue;
        hs::StackCost cost;
        cost.stack = static_cast<uint32_t>(v - 1);
        cost.domain = 0;
        cost.size = size[v];
        cost.count = count[v];
        snap.costs.push_back(cost);
        snap.info.totalSize += size[v];
        snap.info.totalCount += count[v];
    }
    return data;
}

hs::FlameLayoutOptions layoutOptions()
{
    hs::FlameLayoutOptions o;
    o.column = 0;
    o.zoomNode = 0;
    o.width = kWidth;
    o.minWidth = 1; // a pixel, as the window at a device pixel ratio of 1
    o.threshold = 0;
    return o;
}

// Paints what the window's paint event would expose: the visible 1920x1080.
void paintInto(QImage& image, const hs::ProfileData& data, const hs::CallTree& tree,
               const hs::FlameLayout& layout, const hs::FlamePainter::Style& style)
{
    QPainter p(&image);
    const hs::FlamePainter painter(data, tree, layout, 0, style);
    painter.paint(p, QRectF(image.rect()));
    p.end();
}

struct Target
{
    std::string task, figure, goal;
    int state; // 1 met, 0 missed, -1 skipped
};

// --- 1. level of detail ---------------------------------------------------------------------

struct PaintResult
{
    size_t nodes = 0, boxes = 0;
    uint32_t rows = 0, maxDepth = 0;
    double orderMs = 0, layoutMs = 0, paintMs = 0, totalMs = 0;
};

PaintResult paintSynthetic(size_t frames, uint64_t seed, const hs::FlamePainter::Style& style,
                           QImage& image, int runs)
{
    hs::ProfileData data;
    addFrames(data, true);
    const Shape shape = randomShape(frames, seed);
    std::vector<uint64_t> size, count;
    randomCosts(shape, seed + 1, size, count);
    const hs::CallTree tree = makeCallTree(shape, size, count);

    PaintResult r;
    r.nodes = tree.nodeCount();
    r.maxDepth = *std::max_element(tree.depth.begin(), tree.depth.end());
    auto start = Clock::now();
    const std::vector<uint32_t> order = hs::flameOrder(tree, 0); // once per tree, not per paint
    r.orderMs = msSince(start);
    std::vector<double> layoutMs, paintMs, totalMs;
    for (int i = -1; i < runs; ++i) { // run -1 warms the caches (glyphs) and is not counted
        image.fill(Qt::white);
        start = Clock::now();
        const hs::FlameLayout layout = hs::layoutFlame(tree, order, layoutOptions());
        const double l = msSince(start);
        start = Clock::now();
        paintInto(image, data, tree, layout, style);
        const double p = msSince(start);
        if (i < 0)
            continue;
        layoutMs.push_back(l);
        paintMs.push_back(p);
        totalMs.push_back(l + p);
        r.boxes = layout.boxes.size();
        r.rows = layout.rows;
    }
    r.layoutMs = median(layoutMs);
    r.paintMs = median(paintMs);
    r.totalMs = median(totalMs);
    return r;
}

// --- 3. opening the .heapscope ---------------------------------------------------------------

struct OpenResult
{
    double load = 0, tree = 0, order = 0, layout = 0, paint = 0, total = 0;
    size_t stacks = 0, nodes = 0, boxes = 0;
};

OpenResult openAndPaint(const std::string& store, const hs::FlamePainter::Style& style,
                        QImage& image)
{
    OpenResult r;
    image.fill(Qt::white);
    auto start = Clock::now();
    const hs::ProfileData data = hs::Store(store).load();
    r.load = msSince(start);
    if (data.snapshots.empty())
        throw std::runtime_error(store + ": has no snapshots");
    start = Clock::now();
    const hs::CallTree tree = hs::buildCallTree(data, 0, hs::CallTreeOptions());
    r.tree = msSince(start);
    start = Clock::now();
    const std::vector<uint32_t> order = hs::flameOrder(tree, 0);
    r.order = msSince(start);
    start = Clock::now();
    const hs::FlameLayout layout = hs::layoutFlame(tree, order, layoutOptions());
    r.layout = msSince(start);
    start = Clock::now();
    paintInto(image, data, tree, layout, style);
    r.paint = msSince(start);
    r.total = r.load + r.tree + r.order + r.layout + r.paint;
    r.stacks = data.stacks.size();
    r.nodes = tree.nodeCount();
    r.boxes = layout.boxes.size();
    return r;
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 5;
    std::string dir = "/tmp/heapscope-bench";
    std::string file;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--file"))
            file = argv[i + 1];
        else if (!std::strcmp(argv[i], "--dir") || !std::strcmp(argv[i], "--cache"))
            dir = argv[i + 1];
    }
    ::mkdir(dir.c_str(), 0755);

    // Painting text needs a QGuiApplication; the offscreen platform needs no display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    hs::FlamePainter::Style style; // as `heapscope export` paints
    style.font = QFontDatabase::systemFont(QFontDatabase::GeneralFont);
    style.font.setPixelSize(12);
    style.rowHeight = QFontMetrics(style.font).height() + 6;
    QImage image(kWidth, kHeight, QImage::Format_ARGB32_Premultiplied);

    std::printf("heapscope flame-graph benchmark: median of %d runs (after one warm-up run), "
                "wall ms\n",
                runs);
    std::printf("  1. level of detail: layout + paint of a synthetic 1,000,000-frame call tree "
                "into a %dx%d image,\n     against a 1,000-frame tree (children sorted once "
                "beforehand, frames under 1 px merged)\n",
                kWidth, kHeight);
    std::printf("  2. the paint array: buildCallTree + flameOrder + layoutFlame of a synthetic "
                "tracemalloc\n     snapshot whose stack trie has 1,000,000 nodes\n");
    std::printf("  3. opening the large heaptrack recording's .heapscope: Store::load + "
                "buildCallTree +\n     flameOrder + layoutFlame + paint, in this process, "
                "against heaptrack_print reading\n     the original (one run)\n");
    std::printf("  4. peak RSS of `heapscope export --view flamegraph` of that file (the "
                "window's load, tree and\n     paint path, headless), against "
                "heaptrack_print's\n\n");

    std::vector<Target> targets;

    // 1. Level of detail.
    std::printf("1. level of detail (%dx%d, row height %d px)\n", kWidth, kHeight, style.rowHeight);
    std::printf("%12s %9s %9s %6s %10s %10s %10s %13s\n", "frames", "max depth", "boxes", "rows",
                "order ms", "layout ms", "paint ms", "layout+paint");
    PaintResult sizes[2];
    const size_t frames[2] = {1000, 1000000};
    for (int k = 0; k < 2; ++k) {
        sizes[k] = paintSynthetic(frames[k], 1000 + uint64_t(k), style, image, runs);
        const PaintResult& r = sizes[k];
        std::printf("%12zu %9u %9zu %6u %10.2f %10.2f %10.2f %13.2f\n", r.nodes, r.maxDepth,
                    r.boxes, r.rows, r.orderMs, r.layoutMs, r.paintMs, r.totalMs);
    }
    const double lodRatio = sizes[0].totalMs > 0 ? sizes[1].totalMs / sizes[0].totalMs : 0;
    std::printf("ratio 1M / 1k: %.2f\n\n", lodRatio);
    targets.push_back(
        {"layout+paint, 1M frames vs 1k frames",
         format("%.2f ms / %.2f ms = %.2fx", sizes[1].totalMs, sizes[0].totalMs, lodRatio), "<= 2x",
         lodRatio <= 2.0 ? 1 : 0});

    // 2. The paint array from the stack trie.
    {
        const size_t trieNodes = 1000000;
        const Shape shape = randomShape(trieNodes + 1, 2000);
        std::vector<uint64_t> size, count;
        randomCosts(shape, 2001, size, count);
        const hs::ProfileData data = makeTracemallocData(shape, size, count);
        std::vector<double> build, order, layout, total;
        size_t nodes = 0, boxes = 0;
        for (int i = -1; i < runs; ++i) {
            auto start = Clock::now();
            const hs::CallTree tree = hs::buildCallTree(data, 0, hs::CallTreeOptions());
            const double b = msSince(start);
            start = Clock::now();
            const std::vector<uint32_t> o = hs::flameOrder(tree, 0);
            const double s = msSince(start);
            start = Clock::now();
            const hs::FlameLayout l = hs::layoutFlame(tree, o, layoutOptions());
            const double y = msSince(start);
            nodes = tree.nodeCount();
            boxes = l.boxes.size();
            if (i < 0)
                continue;
            build.push_back(b);
            order.push_back(s);
            layout.push_back(y);
            total.push_back(b + s + y);
        }
        std::printf("2. the paint array from the stack trie\n");
        std::printf("%12s %12s %10s %9s %10s %10s %10s %10s\n", "trie nodes", "tree nodes",
                    "cost rows", "boxes", "tree ms", "order ms", "layout ms", "total ms");
        std::printf("%12zu %12zu %10zu %9zu %10.1f %10.1f %10.1f %10.1f\n\n", data.stacks.size(),
                    nodes, data.snapshots[0].costs.size(), boxes, median(build), median(order),
                    median(layout), median(total));
        targets.push_back({"paint array of a 1M-node stack trie",
                           format("%zu nodes in %.1f ms", nodes, median(total)), "< 500 ms",
                           median(total) < 500 ? 1 : 0});
    }

    // 3 and 4 need the recording, heaptrack_print and the heapscope command line.
    const std::string heapscope = bench::selfDir() + "/heapscope";
    const bench::LargeRecording large = bench::prepareLargeRecording(dir, file, heapscope);
    const std::string& store = large.store;
    const std::string& skip = large.skip;
    const bench::Sample& print = large.print;
    file = large.file;

    // 3. Opening the .heapscope up to a painted flame graph, in this process.
    if (skip.empty()) {
        try {
            std::ofstream("/proc/self/clear_refs") << "5"; // resets the peak RSS
            const long before = statusKb("VmRSS:");
            std::vector<OpenResult> rs;
            for (int i = -1; i < runs; ++i) {
                const OpenResult r = openAndPaint(store, style, image);
                if (i >= 0)
                    rs.push_back(r);
            }
            const long peak = statusKb("VmHWM:");
            const auto med = [&](double OpenResult::*field) {
                std::vector<double> v;
                for (const OpenResult& r : rs)
                    v.push_back(r.*field);
                return median(v);
            };
            const double total = med(&OpenResult::total);
            const double ratio = total / print.ms;
            std::printf("3. opening %s\n", store.c_str());
            std::printf("%10s %10s %8s %9s %9s %9s %9s %9s %10s %10s\n", "stacks", "tree nodes",
                        "boxes", "load ms", "tree ms", "order ms", "layout ms", "paint ms",
                        "total ms", "ratio");
            std::printf("%10zu %10zu %8zu %9.1f %9.1f %9.1f %9.1f %9.1f %10.1f %10.4f\n",
                        rs.back().stacks, rs.back().nodes, rs.back().boxes, med(&OpenResult::load),
                        med(&OpenResult::tree), med(&OpenResult::order), med(&OpenResult::layout),
                        med(&OpenResult::paint), total, ratio);
            std::printf("in-process peak RSS while opening: %.1f MiB (%.1f MiB before)\n\n",
                        peak / 1024.0, before / 1024.0);
            targets.push_back({"open .heapscope to flame graph vs heaptrack_print",
                               format("%.0f ms / %.0f ms = 1/%.0f", total, print.ms,
                                      total > 0 ? print.ms / total : 0),
                               "<= 1/100", ratio <= 0.01 ? 1 : 0});
        } catch (const std::exception& e) {
            std::printf("3. opening %s failed: %s\n\n", store.c_str(), e.what());
            targets.push_back({"open .heapscope to flame graph vs heaptrack_print",
                               "failed to open", "<= 1/100", 0});
        }
    } else {
        targets.push_back(
            {"open .heapscope to flame graph vs heaptrack_print", "skipped", "<= 1/100", -1});
    }

    // 4. Peak memory of the same path as a process of its own.
    if (skip.empty()) {
        const std::vector<std::string> exportArgs{heapscope,
                                                  "export",
                                                  store,
                                                  "--view",
                                                  "flamegraph",
                                                  "--snapshot",
                                                  "0",
                                                  "--width",
                                                  std::to_string(kWidth),
                                                  "--height",
                                                  std::to_string(kHeight),
                                                  "-o",
                                                  dir + "/bench-flamegraph.png"};
        std::vector<double> ms;
        std::vector<double> rss;
        bool ok = true;
        for (int i = -1; i < runs && ok; ++i) {
            bench::Sample s;
            ok = tryRun(exportArgs, s);
            if (ok && i >= 0) {
                ms.push_back(s.ms);
                rss.push_back(double(s.rssKb));
            }
        }
        std::printf("4. heapscope export --view flamegraph %s\n", store.c_str());
        if (!ok) {
            std::printf("the export failed\n\n");
            targets.push_back(
                {"export peak RSS vs heaptrack_print", "export failed", "< heaptrack_print", 0});
        } else {
            const double ratio = median(rss) / double(print.rssKb);
            std::printf("%10s %12s %12s %8s\n", "wall ms", "RSS MiB", "anchor MiB", "ratio");
            std::printf("%10.0f %12.1f %12.1f %8.3f\n\n", median(ms), median(rss) / 1024.0,
                        print.rssKb / 1024.0, ratio);
            targets.push_back({"export peak RSS vs heaptrack_print",
                               format("%.1f MiB / %.1f MiB = %.2f", median(rss) / 1024.0,
                                      print.rssKb / 1024.0, ratio),
                               "< 1 (below anchor)", ratio < 1 ? 1 : 0});
        }
    } else {
        targets.push_back(
            {"export peak RSS vs heaptrack_print", "skipped", "< 1 (below anchor)", -1});
    }
    if (!skip.empty())
        std::printf("3 and 4 skipped: %s\n\n", skip.c_str());

    std::printf("%-52s %-36s %-20s\n", "target", "measured", "goal");
    bool allMet = true;
    int skipped = 0;
    for (const Target& t : targets) {
        allMet = allMet && t.state != 0;
        skipped += t.state < 0 ? 1 : 0;
        std::printf("%-52s %-36s %-20s %s\n", t.task.c_str(), t.figure.c_str(), t.goal.c_str(),
                    t.state > 0    ? "met"
                    : t.state == 0 ? "MISSED"
                                   : "skipped");
    }
    std::printf("\n%s", allMet ? "all targets met" : "some targets MISSED");
    if (skipped > 0)
        std::printf(" (%d skipped)", skipped);
    std::printf("\n");
    return 0;
}
