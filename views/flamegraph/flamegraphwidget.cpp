#include "flamegraphwidget.h"

#include "flametext.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

namespace hs {

FlameGraphWidget::FlameGraphWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFocusPolicy(Qt::StrongFocus);
}

void FlameGraphWidget::setTree(std::shared_ptr<const ProfileData> data,
                               std::shared_ptr<const CallTree> tree,
                               std::shared_ptr<const std::vector<uint32_t>> order, int column)
{
    const bool sameTree = tree == m_tree;
    m_data = std::move(data);
    m_tree = std::move(tree);
    m_order = std::move(order);
    m_column = column;
    if (!sameTree) {
        m_zoom = 0;
        m_matches.reset();
    }
    relayout();
}

void FlameGraphWidget::setZoom(uint32_t node)
{
    m_zoom = m_tree && node < m_tree->nodeCount() ? node : 0;
    relayout();
}

void FlameGraphWidget::setColours(FlameColours colours)
{
    m_colours = colours;
    update();
}

void FlameGraphWidget::setThreshold(double share)
{
    m_threshold = share;
    relayout();
}

void FlameGraphWidget::setMatches(std::shared_ptr<const std::vector<uint8_t>> matches)
{
    m_matches = std::move(matches);
    update();
}

void FlameGraphWidget::setSelectedFrame(uint32_t frame)
{
    m_selectedFrame = frame;
    update();
}

void FlameGraphWidget::setTitle(const QString& title)
{
    m_title = title;
    update();
}

int FlameGraphWidget::rowHeight() const
{
    return fontMetrics().height() + 6;
}

FlamePainter::Style FlameGraphWidget::style() const
{
    FlamePainter::Style s;
    s.rowHeight = rowHeight();
    s.font = font();
    s.dark = palette().color(QPalette::Window).lightness() < 128;
    s.colours = m_colours;
    return s;
}

void FlameGraphWidget::relayout()
{
    m_layout = {};
    if (m_tree && m_order) {
        FlameLayoutOptions o;
        o.column = m_column;
        o.zoomNode = m_zoom;
        o.width = std::max(width(), 1);
        o.minWidth = 1.0 / std::max(devicePixelRatioF(), 1.0); // a device pixel, for HiDPI
        o.threshold = m_threshold;
        m_layout = layoutFlame(*m_tree, *m_order, o);
    }
    updateGeometry();
    update();
}

QSize FlameGraphWidget::sizeHint() const
{
    return {800, std::max(int(m_layout.rows), 1) * rowHeight()};
}

QSize FlameGraphWidget::minimumSizeHint() const
{
    return {200, std::max(int(m_layout.rows), 1) * rowHeight()};
}

uint32_t FlameGraphWidget::nodeAt(const QPoint& pos) const
{
    if (pos.y() < 0)
        return kNoIndex;
    const size_t box = flameBoxAt(m_layout, pos.x(), uint32_t(pos.y() / rowHeight()));
    return box == SIZE_MAX ? kNoIndex : m_layout.boxes[box].node;
}

QRect FlameGraphWidget::nodeRect(uint32_t node) const
{
    for (const FlameBox& b : m_layout.boxes)
        if (b.node == node)
            return QRectF(b.x, double(b.row) * rowHeight(), b.width, rowHeight()).toAlignedRect();
    return {};
}

void FlameGraphWidget::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    p.fillRect(event->rect(), palette().color(QPalette::Base));
    if (!m_tree || !m_data) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No call stacks to show"));
        return;
    }
    FlamePainter painter(*m_data, *m_tree, m_layout, m_column, style());
    painter.setMatches(m_matches.get());
    painter.setSelectedFrame(m_selectedFrame);
    painter.paint(p, event->rect());
}

void FlameGraphWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void FlameGraphWidget::mouseMoveEvent(QMouseEvent* event)
{
    const uint32_t node = nodeAt(event->position().toPoint());
    if (node != m_hovered) {
        m_hovered = node;
        emit hovered(node == FlameBox::kMerged ? kNoIndex : node);
    }
}

void FlameGraphWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const uint32_t node = nodeAt(event->position().toPoint());
    if (node != kNoIndex && node != FlameBox::kMerged)
        emit clicked(node);
}

void FlameGraphWidget::leaveEvent(QEvent* event)
{
    QWidget::leaveEvent(event);
    if (m_hovered != kNoIndex) {
        m_hovered = kNoIndex;
        emit hovered(kNoIndex);
    }
}

void FlameGraphWidget::contextMenuEvent(QContextMenuEvent* event)
{
    const uint32_t node = nodeAt(event->pos());
    if (node != kNoIndex && node != FlameBox::kMerged)
        emit contextMenuRequested(node, event->globalPos());
}

bool FlameGraphWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_tree && m_data) {
        auto* help = static_cast<QHelpEvent*>(event);
        const uint32_t node = nodeAt(help->pos());
        if (node == kNoIndex || node == FlameBox::kMerged) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(),
                               FlameText::tooltip(*m_data, *m_tree, m_column, node, true), this,
                               nodeRect(node));
        }
        return true;
    }
    return QWidget::event(event);
}

void FlameGraphWidget::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        relayout();
}

} // namespace hs
