#include "flamepainter.h"

#include "heapqueries.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QtGlobal>
#include <algorithm>

namespace hs {

namespace {

// A stable hue for a name (FNV-1a), so that a module keeps its colour between runs.
int hueOf(const std::string& name)
{
    uint32_t h = 2166136261u;
    for (const char c : name)
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    // Warm hues read as "flame"; keep to red..yellow..green-ish and blue-ish bands.
    static const int kHues[] = {0, 12, 24, 36, 48, 60, 90, 170, 195, 210, 265, 300, 330};
    return kHues[h % (sizeof kHues / sizeof kHues[0])];
}

} // namespace

FlamePainter::FlamePainter(const ProfileData& data, const CallTree& tree, const FlameLayout& layout,
                           int column, Style style)
    : m_data(data), m_tree(tree), m_layout(layout), m_column(column), m_style(std::move(style))
{}

int FlamePainter::titleHeight() const
{
    return m_style.title.isEmpty() ? 0 : m_style.rowHeight * 2;
}

int FlamePainter::height() const
{
    return titleHeight() + int(m_layout.rows) * m_style.rowHeight;
}

QRectF FlamePainter::boxRect(const FlameBox& box) const
{
    return {box.x, double(titleHeight() + int(box.row) * m_style.rowHeight), box.width,
            double(m_style.rowHeight)};
}

bool FlamePainter::selected(const FlameBox& box) const
{
    if (m_selectedFrame == kNoIndex || box.node == FlameBox::kMerged || box.node == 0)
        return false;
    return frameMergeKey(m_data, m_tree.frame[box.node]) == frameMergeKey(m_data, m_selectedFrame);
}

QColor FlamePainter::fill(const FlameBox& box) const
{
    const bool dark = m_style.dark;
    if (box.node == FlameBox::kMerged)
        return dark ? QColor(70, 70, 70) : QColor(200, 200, 200);
    if (box.node == 0)
        return dark ? QColor(85, 85, 95) : QColor(215, 215, 225);
    const bool searching = m_matches && !m_matches->empty();
    if (searching && (*m_matches)[box.node])
        return dark ? QColor(190, 70, 200) : QColor(235, 110, 240);
    int hue = 0, saturation = 150, value = dark ? 150 : 235;
    if (m_style.colours == FlameColours::ByCost) {
        // Share of what the graph shows: small frames pale yellow, large ones deep red.
        const double share =
            m_layout.zoomTotal > 0
                ? double(m_tree.total[size_t(m_column)][box.node]) / double(m_layout.zoomTotal)
                : 0;
        hue = int(55 * (1 - std::clamp(share, 0.0, 1.0)));
        saturation = 90 + int(165 * std::clamp(share, 0.0, 1.0));
    } else {
        // By the module's (else the file's) string, hashed once per painter.
        const Frame& f = m_data.frames[m_tree.frame[box.node]];
        const uint32_t key = f.module != kNoIndex ? f.module : f.file;
        auto it = m_hues.find(key);
        if (it == m_hues.end())
            it = m_hues.emplace(key, hueOf(key != kNoIndex ? m_data.strings[key] : std::string()))
                     .first;
        hue = it->second;
    }
    QColor c = QColor::fromHsv(hue, saturation, value);
    if (searching) // what did not match steps back
        c = dark ? c.darker(220) : QColor::fromHsv(hue, saturation / 4, value);
    return c;
}

QColor FlamePainter::textColour(const FlameBox& box) const
{
    Q_UNUSED(box);
    return m_style.dark ? QColor(235, 235, 235) : QColor(20, 20, 20);
}

QString FlamePainter::label(const FlameBox& box) const
{
    if (box.node == FlameBox::kMerged)
        return QStringLiteral("%1 small frames").arg(box.mergedCount);
    if (box.node == 0)
        return QStringLiteral("all");
    return frameText(m_data, m_tree.frame[box.node]);
}

QString FlamePainter::frameText(const ProfileData& data, uint32_t frame)
{
    const Frame& f = data.frames[frame];
    if (f.function != kNoIndex) // C++ names without their template arguments, as heaptrack_gui
        return QString::fromStdString(shortenTemplates(frameLabel(data, frame)));
    if (f.file == kNoIndex)
        return QString::fromStdString(frameLabel(data, frame));
    // A Python frame is a file and line: the file's name reads better in a narrow box (the
    // tooltip has the whole path).
    const std::string& file = data.strings[f.file];
    const size_t slash = file.find_last_of('/');
    return QString::fromStdString(slash == std::string::npos ? file : file.substr(slash + 1)) +
           QLatin1Char(':') + QString::number(f.line);
}

void FlamePainter::paint(QPainter& p, const QRectF& exposed) const
{
    p.save();
    p.setFont(m_style.font);
    const QFontMetricsF metrics(m_style.font);
    if (!m_style.title.isEmpty() && (exposed.isNull() || exposed.top() < titleHeight())) {
        p.setPen(m_style.dark ? QColor(235, 235, 235) : QColor(20, 20, 20));
        QFont bold = m_style.font;
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRectF(4, 0, p.device()->width(), titleHeight()),
                   Qt::AlignVCenter | Qt::AlignLeft, m_style.title);
        p.setFont(m_style.font);
    }
    const QColor border = m_style.dark ? QColor(30, 30, 30) : QColor(255, 255, 255);
    const QPen borderPen(border, 1);
    bool borderSet = false; // the pen is the border's (setPen per box is measurable)
    for (const FlameBox& box : m_layout.boxes) {
        const QRectF r = boxRect(box);
        if (!exposed.isNull() && !exposed.intersects(r))
            continue;
        const bool isSelected = selected(box);
        if (r.width() < 3 && !isSelected) {
            // Only a fill, thousands of them in a large graph: whole pixels take the raster
            // engine's solid-fill path (fractional edges are invisible at this width).
            const int left = qRound(r.left());
            const int right = std::max(left + 1, qRound(r.right()));
            p.fillRect(QRect(left, int(r.top()), right - left, int(r.height())), fill(box));
            continue;
        }
        p.fillRect(r, fill(box));
        if (r.width() >= 3) {
            if (!borderSet)
                p.setPen(borderPen);
            borderSet = true;
            p.drawLine(r.topRight(), r.bottomRight());
            p.drawLine(r.bottomLeft(), r.bottomRight());
        }
        if (isSelected) {
            p.setPen(QPen(m_style.dark ? QColor(255, 220, 80) : QColor(20, 60, 200), 2));
            borderSet = false;
            p.drawRect(r.adjusted(1, 1, -1, -1));
        }
        if (r.width() > 3 * metrics.averageCharWidth()) {
            const QString text = metrics.elidedText(label(box), Qt::ElideRight, r.width() - 6);
            if (!text.isEmpty()) {
                p.setPen(textColour(box));
                borderSet = false;
                p.drawText(r.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
            }
        }
    }
    p.restore();
}

} // namespace hs
