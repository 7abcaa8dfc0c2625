#pragma once

#include <QStyledItemDelegate>

namespace hs {

// Draws a cost cell over a bar as long as the cost's share of the whole, as heaptrack_gui
// does, so the big entries stand out while reading down a column. The share comes from the
// model's `shareRole`.
class CostBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    CostBarDelegate(int shareRole, QObject* parent = nullptr)
        : QStyledItemDelegate(parent), m_shareRole(shareRole)
    {}

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;

private:
    int m_shareRole;
};

} // namespace hs
