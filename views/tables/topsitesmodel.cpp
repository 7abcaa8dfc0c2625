#include "topsitesmodel.h"

#include "costformat.h"
#include "flametext.h"

#include <algorithm>
#include <unordered_map>

namespace hs {

TopSitesModel::Rows TopSitesModel::build(std::shared_ptr<const ProfileData> data,
                                         std::shared_ptr<const CallTree> topDown, Grouping grouping)
{
    Rows r;
    r.data = std::move(data);
    r.grouping = grouping;
    r.tree = std::move(topDown);
    if (!r.data || !r.tree || r.tree->nodeCount() == 0 || r.tree->bottomUp)
        return r;
    const CallTree& t = *r.tree;
    const size_t kinds = t.kinds.size();
    r.kinds = t.kinds;
    for (size_t k = 0; k < kinds; ++k)
        r.all.push_back(t.total[k][0]);
    if (grouping == Grouping::CallStack) {
        std::vector<int64_t> self(kinds);
        for (uint32_t v = 1; v < t.nodeCount(); ++v) {
            bool any = false;
            for (size_t k = 0; k < kinds; ++k) {
                self[k] = t.selfCost(k, v);
                any |= self[k] != 0;
            }
            if (!any)
                continue;
            r.frame.push_back(t.frame[v]);
            r.node.push_back(v);
            r.cost.insert(r.cost.end(), self.begin(), self.end());
        }
        return r;
    }
    // A node's own cost is what its frame allocated on that path: summed by frame (or file) it
    // is the bottom-up tree's first level, without building that much larger tree. Groups are
    // looked up per frame (thousands), not per node (millions).
    const ProfileData& d = *r.data;
    std::unordered_map<uint64_t, uint32_t> groupOfKey;
    std::vector<uint32_t> groupOfFrame(d.frames.size() + 1, kNoIndex);
    for (size_t f = 0; f <= d.frames.size(); ++f) {
        const auto frame = static_cast<uint32_t>(f);
        const uint64_t key = grouping == Grouping::Frame ? frameMergeKey(d, frame)
                             : f < d.frames.size()       ? d.frames[f].file
                                                         : kNoIndex;
        groupOfFrame[f] = groupOfKey.emplace(key, uint32_t(groupOfKey.size())).first->second;
    }
    const size_t groups = groupOfKey.size();
    std::vector<int64_t> sums(groups * kinds, 0);
    std::vector<uint32_t> firstNode(groups, kNoIndex); // the group's first node with a cost
    TreeArray<int64_t> self(t.nodeCount());
    for (size_t k = 0; k < kinds; ++k) {
        // Self costs of every node in one pass: its total less its children's.
        const TreeArray<int64_t>& total = t.total[k];
        std::copy(total.begin(), total.end(), self.begin());
        for (uint32_t v = 1; v < t.nodeCount(); ++v)
            self[t.parent[v]] -= total[v];
        for (uint32_t v = 1; v < t.nodeCount(); ++v) {
            if (self[v] == 0)
                continue;
            const uint32_t frame = std::min<uint32_t>(t.frame[v], uint32_t(d.frames.size()));
            const uint32_t g = groupOfFrame[frame];
            sums[g * kinds + k] += self[v];
            firstNode[g] = std::min(firstNode[g], v);
        }
    }
    // Rows in the order their first node comes in the tree, each shown as that node's frame.
    std::vector<uint32_t> order;
    for (uint32_t g = 0; g < groups; ++g)
        if (firstNode[g] != kNoIndex)
            order.push_back(g);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return firstNode[a] < firstNode[b]; });
    for (const uint32_t g : order) {
        r.frame.push_back(t.frame[firstNode[g]]);
        r.node.push_back(kNoIndex);
        r.cost.insert(r.cost.end(), sums.begin() + long(g * kinds),
                      sums.begin() + long((g + 1) * kinds));
    }
    return r;
}

QString TopSitesModel::Rows::label(size_t row) const
{
    if (grouping == Grouping::File) {
        const Frame& f = data->frames[frame[row]];
        return f.file != kNoIndex ? QString::fromStdString(data->strings[f.file])
                                  : QStringLiteral("??");
    }
    if (grouping == Grouping::CallStack)
        return FlameText::frameLine(*data, frame[row]);
    return QString::fromStdString(frameLabel(*data, frame[row]));
}

QString TopSitesModel::Rows::detail(size_t row) const
{
    if (grouping == Grouping::CallStack)
        return FlameText::stack(*data, *tree, node[row]);
    return grouping == Grouping::File ? label(row) : FlameText::frameLine(*data, frame[row]);
}

QStringList TopSitesModel::Rows::csvHeader() const
{
    QStringList h{grouping == Grouping::File        ? QStringLiteral("file")
                  : grouping == Grouping::CallStack ? QStringLiteral("call_stack")
                                                    : QStringLiteral("frame")};
    for (const CostKind k : kinds)
        h << QString::fromLatin1(costName(k));
    return h;
}

QStringList TopSitesModel::Rows::csvRow(size_t row) const
{
    QStringList f{grouping == Grouping::CallStack ? detail(row) : label(row)};
    for (size_t k = 0; k < kinds.size(); ++k)
        f << QString::number(at(row, k));
    return f;
}

void TopSitesModel::setRows(std::shared_ptr<const Rows> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int TopSitesModel::rowOfFrame(uint32_t frame) const
{
    if (!m_rows || !m_rows->data || frame == kNoIndex)
        return -1;
    const uint64_t key = frameMergeKey(*m_rows->data, frame);
    for (size_t r = 0; r < m_rows->size(); ++r)
        if (frameMergeKey(*m_rows->data, m_rows->frame[r]) == key)
            return int(r);
    return -1;
}

int TopSitesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_rows ? 0 : int(m_rows->size());
}

int TopSitesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_rows ? 0 : 1 + int(m_rows->kinds.size());
}

QVariant TopSitesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || !m_rows)
        return {};
    if (section == 0)
        return grouping() == Grouping::File        ? tr("File")
               : grouping() == Grouping::CallStack ? tr("Call stack (allocating frame)")
                                                   : tr("Allocating frame");
    if (section - 1 < int(m_rows->kinds.size()))
        return QString::fromLatin1(costTitle(m_rows->kinds[size_t(section - 1)]));
    return {};
}

QVariant TopSitesModel::data(const QModelIndex& index, int role) const
{
    if (!m_rows || !index.isValid() || index.row() >= int(m_rows->size()))
        return {};
    const auto row = size_t(index.row());
    if (role == FrameRole)
        return uint(m_rows->frame[row]);
    if (index.column() == 0) {
        if (role == Qt::DisplayRole || role == SortRole)
            return m_rows->label(row);
        if (role == Qt::ToolTipRole)
            return m_rows->detail(row);
        return {};
    }
    const size_t k = size_t(index.column() - 1);
    if (k >= m_rows->kinds.size())
        return {};
    const CostKind kind = m_rows->kinds[k];
    const int64_t value = m_rows->at(row, k);
    switch (role) {
    case Qt::DisplayRole:
        return formatCost(kind, value);
    case SortRole:
        return qlonglong(value);
    case ShareRole:
        return m_rows->all[k] > 0 ? double(value) / double(m_rows->all[k]) : 0.0;
    case Qt::ToolTipRole:
        return formatExactCost(kind, value);
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

} // namespace hs
