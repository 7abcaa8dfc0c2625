#include "calltreemodel.h"

#include "costformat.h"
#include "flametext.h"

namespace hs {

void CallTreeModel::setTree(std::shared_ptr<const ProfileData> data,
                            std::shared_ptr<const CallTree> tree)
{
    beginResetModel();
    m_data = std::move(data);
    m_tree = std::move(tree);
    if (!m_data)
        m_tree.reset();
    endResetModel();
}

uint32_t CallTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? uint32_t(index.internalId()) : 0;
}

QModelIndex CallTreeModel::indexOfNode(uint32_t node) const
{
    if (!m_tree || node == 0 || node >= m_tree->nodeCount())
        return {};
    return createIndex(int(m_tree->row(node)), 0, quintptr(node));
}

uint32_t CallTreeModel::bestNodeOfFrame(uint32_t frame) const
{
    if (!m_tree || frame == kNoIndex)
        return kNoIndex;
    const uint64_t key = frameMergeKey(*m_data, frame);
    uint32_t best = kNoIndex;
    for (uint32_t v = 1; v < m_tree->nodeCount(); ++v)
        if (frameMergeKey(*m_data, m_tree->frame[v]) == key &&
            (best == kNoIndex || m_tree->total[0][v] > m_tree->total[0][best]))
            best = v;
    return best;
}

int CallTreeModel::costColumn(CostKind kind, bool self) const
{
    if (!m_tree)
        return -1;
    const int c = m_tree->column(kind);
    return c < 0 ? -1 : 1 + c + (self ? int(m_tree->kinds.size()) : 0);
}

QModelIndex CallTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_tree || row < 0 || column < 0 || column >= columnCount() ||
        (parent.isValid() && parent.column() != 0))
        return {};
    const uint32_t p = nodeOf(parent);
    if (uint32_t(row) >= m_tree->childCount(p))
        return {};
    return createIndex(row, column, quintptr(m_tree->child(p, uint32_t(row))));
}

QModelIndex CallTreeModel::parent(const QModelIndex& child) const
{
    if (!m_tree || !child.isValid())
        return {};
    return indexOfNode(m_tree->parent[nodeOf(child)]);
}

int CallTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_tree || (parent.isValid() && parent.column() != 0))
        return 0;
    return int(m_tree->childCount(nodeOf(parent)));
}

bool CallTreeModel::hasChildren(const QModelIndex& parent) const
{
    return rowCount(parent) > 0;
}

int CallTreeModel::columnCount(const QModelIndex&) const
{
    return m_tree ? 1 + 2 * int(m_tree->kinds.size()) : 1;
}

QVariant CallTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    if (section == 0)
        return m_tree && m_tree->bottomUp ? tr("Allocating frame, then its callers")
                                          : tr("Frame, then what it calls");
    if (!m_tree || section >= columnCount())
        return {};
    const size_t k = size_t(section - 1) % m_tree->kinds.size();
    const bool self = size_t(section - 1) >= m_tree->kinds.size();
    const QString title = QString::fromLatin1(costTitle(m_tree->kinds[k]));
    if (role == Qt::ToolTipRole)
        return self ? tr("%1 of the frame itself").arg(title)
                    : tr("%1 of the frame and what it calls").arg(title);
    return self ? tr("%1 (self)").arg(title) : title;
}

QVariant CallTreeModel::data(const QModelIndex& index, int role) const
{
    if (!m_tree || !index.isValid())
        return {};
    const uint32_t node = nodeOf(index);
    const int column = index.column();
    if (role == FrameRole)
        return uint(m_tree->frame[node]);
    if (role == NodeRole)
        return uint(node);
    if (column == 0) {
        if (role == Qt::DisplayRole || role == SortRole)
            return QString::fromStdString(frameLabel(*m_data, m_tree->frame[node]));
        if (role == Qt::ToolTipRole)
            return FlameText::tooltip(*m_data, *m_tree, 0, node, true);
        return {};
    }
    const size_t k = size_t(column - 1) % m_tree->kinds.size();
    const bool self = size_t(column - 1) >= m_tree->kinds.size();
    const int64_t value = self ? m_tree->selfCost(k, node) : m_tree->total[k][node];
    switch (role) {
    case Qt::DisplayRole:
        return formatCost(m_tree->kinds[k], value);
    case SortRole:
        return qlonglong(value);
    case ShareRole: {
        const int64_t all = m_tree->total[k][0];
        return all > 0 ? double(value) / double(all) : 0.0;
    }
    case Qt::ToolTipRole:
        return formatExactCost(m_tree->kinds[k], value);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

} // namespace hs
