#include "treefilterproxy.h"

namespace hs {

TreeFilterProxy::TreeFilterProxy(int keyRole, int sortRole, QObject* parent)
    : QSortFilterProxyModel(parent), m_keyRole(keyRole)
{
    setSortRole(sortRole);
    setDynamicSortFilter(false);
}

void TreeFilterProxy::setKeep(std::shared_ptr<const std::vector<uint8_t>> keep)
{
    m_keep = std::move(keep);
    invalidateFilter();
}

bool TreeFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_keep)
        return true;
    size_t key = size_t(sourceRow);
    if (m_keyRole >= 0)
        key = sourceModel()->index(sourceRow, 0, sourceParent).data(m_keyRole).toUInt();
    return key < m_keep->size() && (*m_keep)[key];
}

} // namespace hs
