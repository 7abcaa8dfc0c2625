// The flame graph's pure parts: the layout (widths, order, zoom, level of detail, threshold,
// hit testing), the painter and the exports (SVG as XML with one element per visible frame,
// PNG of the requested size, PDF with a page), on made-up trees and on real samples.

#include "flameexport.h"
#include "flamelayout.h"
#include "flamepainter.h"
#include "flamesearch.h"
#include "inputloader.h"
#include "synthetictree.h"

#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

using namespace hs;

namespace {

struct SvgSummary
{
    bool valid = false;
    int rects = 0;
    QStringList texts;
};

SvgSummary readSvg(const QString& path)
{
    QFile f(path);
    SvgSummary s;
    if (!f.open(QIODevice::ReadOnly))
        return s;
    QXmlStreamReader xml(&f);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("rect"))
            ++s.rects;
        else if (xml.name() == QLatin1String("text"))
            s.texts << xml.readElementText();
    }
    s.valid = !xml.hasError();
    return s;
}

FlamePainter::Style style()
{
    FlamePainter::Style s;
    s.font.setPixelSize(12);
    s.rowHeight = 18;
    s.title = QStringLiteral("test");
    return s;
}

} // namespace

class TestFlameGraph : public QObject
{
    Q_OBJECT

private slots:
    void widths_data()
    {
        QTest::addColumn<int>("nodes");
        QTest::addColumn<double>("width");
        QTest::newRow("small") << 50 << 1000.0;
        QTest::newRow("medium") << 5000 << 1920.0;
        QTest::newRow("narrow") << 5000 << 200.0;
    }
    void widths()
    {
        // Every box lies inside its parent's span, siblings do not overlap, rows are sorted.
        QFETCH(int, nodes);
        QFETCH(double, width);
        const auto s = hstest::randomTree(size_t(nodes));
        const auto order = flameOrder(s.tree, 0);
        const FlameLayout l = layoutFlame(s.tree, order, {0, 0, width, 1, 0});
        QVERIFY(!l.boxes.empty());
        QCOMPARE(l.boxes[0].node, 0u);
        QCOMPARE(l.boxes[0].width, width);
        QCOMPARE(l.zoomTotal, s.tree.total[0][0]);
        std::map<uint32_t, const FlameBox*> byNode;
        for (const FlameBox& b : l.boxes)
            if (b.node != FlameBox::kMerged)
                byNode[b.node] = &b;
        for (size_t k = 1; k < l.boxes.size(); ++k) {
            const FlameBox& a = l.boxes[k - 1];
            const FlameBox& b = l.boxes[k];
            QVERIFY(a.row < b.row || (a.row == b.row && a.x + a.width <= b.x + 1e-6));
            if (b.node == FlameBox::kMerged)
                continue;
            QVERIFY(b.width >= 1);
            const FlameBox* p = byNode.at(s.tree.parent[b.node]);
            QVERIFY(b.x >= p->x - 1e-6 && b.x + b.width <= p->x + p->width + 1e-6);
            QCOMPARE(b.row, uint32_t(s.tree.depth[b.node]));
        }
    }

    void order()
    {
        const auto s = hstest::makeTree({0, 0, 0, 1, 1}, {5, 20, 10, 1, 2});
        const auto order = flameOrder(s.tree, 0);
        // Root's children by inclusive size: node 2 (20), node 3 (10), node 1 (5 + 1 + 2).
        QCOMPARE(std::vector<uint32_t>(order.begin(), order.begin() + 3),
                 (std::vector<uint32_t>{2, 3, 1}));
        const FlameLayout l = layoutFlame(s.tree, order, {0, 0, 380, 1, 0});
        QCOMPARE(l.rows, 3u);
        QCOMPARE(l.boxes[1].node, 2u);
        QCOMPARE(l.boxes[1].x, 0.0);
        QCOMPARE(l.boxes[1].width, 200.0);
        QCOMPARE(l.boxes[3].node, 1u);
        QCOMPARE(l.boxes[3].x, 300.0);
    }

    void zoom()
    {
        const auto s = hstest::makeTree({0, 0, 1, 3}, {50, 50, 10, 40});
        const auto order = flameOrder(s.tree, 0);
        const FlameLayout l = layoutFlame(s.tree, order, {0, 3, 100, 1, 0});
        // The chain root → 1 → 3 spans the width, then 3's child 4 takes 40 of 50.
        QCOMPARE(l.zoomTotal, 50);
        QCOMPARE(l.boxes.size(), size_t(4));
        QCOMPARE(l.boxes[2].node, 3u);
        QCOMPARE(l.boxes[2].width, 100.0);
        QCOMPARE(l.boxes[3].node, 4u);
        QCOMPARE(l.boxes[3].width, 80.0);
        QCOMPARE(flameBoxAt(l, 10, 3), size_t(3));
        QCOMPARE(flameBoxAt(l, 90, 3), SIZE_MAX);
        QCOMPARE(flameBoxAt(l, 50, 9), SIZE_MAX);
    }

    void levelOfDetail_data()
    {
        QTest::addColumn<int>("leaves");
        QTest::newRow("1k") << 1000;
        QTest::newRow("100k") << 100000;
        QTest::newRow("1M") << 1000000;
    }
    void levelOfDetail()
    {
        // One big frame and a long tail of tiny ones: the tail becomes one merged box, so the
        // layout's size does not grow with the tree.
        QFETCH(int, leaves);
        std::vector<uint32_t> parent(size_t(leaves) + 1, 0);
        std::vector<int64_t> self(size_t(leaves) + 1, 1);
        self[0] = int64_t(leaves);
        const auto s = hstest::makeTree(parent, self);
        const FlameLayout l = layoutFlame(s.tree, flameOrder(s.tree, 0), {0, 0, 1000, 1, 0});
        QVERIFY2(l.boxes.size() <= 2 + 1000, qPrintable(QString::number(l.boxes.size())));
        double covered = 0;
        uint32_t merged = 0;
        for (const FlameBox& b : l.boxes)
            if (b.row == 1) {
                covered += b.width;
                merged += b.mergedCount + (b.node == FlameBox::kMerged ? 0 : 1);
            }
        QVERIFY(std::abs(covered - 1000) < 1e-6);
        QVERIFY(merged <= uint32_t(leaves) + 1);
        if (leaves >= 100000)
            QVERIFY(l.boxes.size() <= 3);
    }

    void threshold()
    {
        const auto s = hstest::makeTree({0, 0, 0}, {90, 6, 4});
        const auto order = flameOrder(s.tree, 0);
        QCOMPARE(layoutFlame(s.tree, order, {0, 0, 1000, 1, 0}).boxes.size(), size_t(4));
        QCOMPARE(layoutFlame(s.tree, order, {0, 0, 1000, 1, 0.05}).boxes.size(), size_t(3));
        QCOMPARE(layoutFlame(s.tree, order, {0, 0, 1000, 1, 0.5}).boxes.size(), size_t(2));
    }

    void search()
    {
        const auto s = hstest::makeTree({0, 1, 0, 3}, {10, 20, 30, 40});
        // f1 and f2 match; f2 is below f1, so what passes through a match is f1's 30.
        const FlameSearchResult r =
            searchFlame(s.data, s.tree, QRegularExpression(QStringLiteral("^f[12]$")));
        QCOMPARE(r.matchCount, size_t(2));
        QCOMPARE(r.cost[0], 30);
        QCOMPARE(r.matches, (std::vector<uint8_t>{0, 1, 1, 0, 0}));
    }

    void paintCoversWidth()
    {
        const auto s = hstest::randomTree(20000);
        const auto order = flameOrder(s.tree, 0);
        const FlameLayout l = layoutFlame(s.tree, order, {0, 0, 800, 1, 0});
        FlamePainter painter(s.data, s.tree, l, 0, style());
        QImage image(800, painter.height(), QImage::Format_RGB32);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            painter.paint(p);
        }
        // The root row is painted across the whole width.
        const int y = painter.titleHeight() + 9;
        for (int x = 0; x < 800; x += 50)
            QVERIFY(image.pixelColor(x, y) != QColor(Qt::white));
    }

    void exports_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("bottomUp");
        QTest::newRow("tracemalloc top-down")
            << "tracemalloc/leaky-cache-py312-tb10-t3.pickle" << false;
        QTest::newRow("tracemalloc bottom-up")
            << "tracemalloc/leaky-cache-py312-tb10-t3.pickle" << true;
        QTest::newRow("heaptrack top-down") << "heaptrack/cpp_leak_temporary_demo.zst" << false;
        QTest::newRow("heaptrack bottom-up") << "heaptrack/sqlite3_orders_workload.zst" << true;
    }
    void exports()
    {
        QFETCH(QString, file);
        QFETCH(bool, bottomUp);
        const ProfileData data =
            InputLoader::load((QStringLiteral(HEAPSCOPE_TEST_DATA "/") + file).toStdString(), {});
        CallTreeOptions options;
        options.bottomUp = bottomUp;
        const CallTree tree = buildCallTree(data, uint32_t(data.snapshots.size() - 1), options);
        const auto order = flameOrder(tree, 0);
        QTemporaryDir dir;
        FlameExportRequest r;
        r.width = 1200;
        r.style = style();
        // The widest first-level frame's label must be in the SVG.
        const uint32_t top = order[tree.childStart[0]];
        const QString label = FlamePainter::frameText(data, tree.frame[top]);
        QString error;

        r.path = dir.filePath(QStringLiteral("g.svg"));
        QVERIFY2(FlameExport::write(data, tree, order, r, error), qPrintable(error));
        const SvgSummary svg = readSvg(r.path);
        QVERIFY(svg.valid);
        const FlameLayout layout = layoutFlame(tree, order, {0, 0, 1200, 0.5, 0});
        QCOMPARE(svg.rects, int(layout.boxes.size()) + 1); // and the background
        QVERIFY(svg.texts.contains(QStringLiteral("test")));
        bool found = false;
        for (const QString& t : svg.texts)
            found = found || t == label ||
                    (t.endsWith(QChar(0x2026)) && label.startsWith(t.chopped(1)));
        QVERIFY2(found, qPrintable(label));

        r.path = dir.filePath(QStringLiteral("g.png"));
        r.scale = 2;
        r.height = 300;
        QVERIFY2(FlameExport::write(data, tree, order, r, error), qPrintable(error));
        QCOMPARE(QImage(r.path).size(), QSize(2400, 600));

        r.path = dir.filePath(QStringLiteral("g.pdf"));
        r.scale = 1;
        r.height = 0;
        QVERIFY2(FlameExport::write(data, tree, order, r, error), qPrintable(error));
        QFile pdf(r.path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdf.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.contains("/Type /Page") || bytes.contains("/Type/Page"));

        r.path = dir.filePath(QStringLiteral("g.bmp"));
        QVERIFY(!FlameExport::write(data, tree, order, r, error));
        QVERIFY(error.contains(QStringLiteral("g.bmp")));
        r.path = dir.filePath(QStringLiteral("missing/dir/g.svg"));
        QVERIFY(!FlameExport::write(data, tree, order, r, error));
        QVERIFY(error.contains(QStringLiteral("missing/dir/g.svg")));
    }

    void millionFrameSvgIsSmall()
    {
        // A browser opens it at once: merged boxes keep it at a few MB at most.
        const auto s = hstest::randomTree(1000000);
        const auto order = flameOrder(s.tree, 0);
        QTemporaryDir dir;
        FlameExportRequest r;
        r.path = dir.filePath(QStringLiteral("big.svg"));
        r.width = 1920;
        r.style = style();
        QString error;
        QVERIFY2(FlameExport::write(s.data, s.tree, order, r, error), qPrintable(error));
        const qint64 size = QFileInfo(r.path).size();
        QVERIFY2(size < 8 * 1024 * 1024, qPrintable(QString::number(size)));
        QVERIFY(readSvg(r.path).valid);
    }
};

QTEST_MAIN(TestFlameGraph)
#include "tst_flamegraph.moc"
