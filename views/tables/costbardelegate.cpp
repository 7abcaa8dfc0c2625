#include "costbardelegate.h"

#include <QPainter>

namespace hs {

void CostBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const
{
    const QVariant share = index.data(m_shareRole);
    if (share.isValid()) {
        const double s = std::clamp(share.toDouble(), 0.0, 1.0);
        if (s > 0) {
            QColor bar = option.palette.color(QPalette::Highlight);
            bar.setAlpha(70);
            QRectF r = option.rect.adjusted(1, 2, -1, -2);
            r.setWidth(std::max(1.0, r.width() * s));
            painter->fillRect(r, bar);
        }
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace hs
