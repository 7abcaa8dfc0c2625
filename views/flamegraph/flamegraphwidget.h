#pragma once

#include "calltree.h"
#include "flamelayout.h"
#include "flamepainter.h"

#include <QWidget>
#include <memory>

namespace hs {

// The flame graph itself, painted from the layout of the visible frames (never one item per
// frame): it lays out again only when the tree, the cost, the zoom or its width change, and
// paints only the rows that are exposed. Reports hover, click and context-menu requests; the
// page decides what they mean.
class FlameGraphWidget : public QWidget
{
    Q_OBJECT

public:
    explicit FlameGraphWidget(QWidget* parent = nullptr);

    void setTree(std::shared_ptr<const ProfileData> data, std::shared_ptr<const CallTree> tree,
                 std::shared_ptr<const std::vector<uint32_t>> order, int column);
    void setZoom(uint32_t node);
    void setColours(FlameColours colours);
    void setThreshold(double share);
    void setMatches(std::shared_ptr<const std::vector<uint8_t>> matches);
    void setSelectedFrame(uint32_t frame);
    void setTitle(const QString& title);

    uint32_t zoom() const { return m_zoom; }
    const CallTree* tree() const { return m_tree.get(); }
    const std::shared_ptr<const std::vector<uint32_t>>& order() const { return m_order; }
    int column() const { return m_column; }
    const FlameLayout& layout() const { return m_layout; }
    FlamePainter::Style style() const;
    // The node under a point of the widget, or kNoIndex.
    uint32_t nodeAt(const QPoint& pos) const;
    // Where a node is drawn (for tests and for scrolling to it); null if it is not visible.
    QRect nodeRect(uint32_t node) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void hovered(uint32_t node); // kNoIndex when leaving the frames
    void clicked(uint32_t node);
    void contextMenuRequested(uint32_t node, const QPoint& globalPos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void relayout();
    int rowHeight() const;

    std::shared_ptr<const ProfileData> m_data;
    std::shared_ptr<const CallTree> m_tree;
    std::shared_ptr<const std::vector<uint32_t>> m_order;
    std::shared_ptr<const std::vector<uint8_t>> m_matches;
    int m_column = 0;
    uint32_t m_zoom = 0;
    double m_threshold = 0;
    FlameColours m_colours = FlameColours::ByModule;
    uint32_t m_selectedFrame = kNoIndex;
    QString m_title;
    FlameLayout m_layout;
    uint32_t m_hovered = kNoIndex;
};

} // namespace hs
