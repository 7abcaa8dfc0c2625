#include "topsitesmodel.h"

#include "costformat.h"
#include "flametext.h"

#include <map>

namespace hs {

TopSitesModel::Rows TopSitesModel::build(std::shared_ptr<const ProfileData> data,
                                         std::shared_ptr<const CallTree> topDown,
                                         std::shared_ptr<const CallTree> bottomUp,
                                         Grouping grouping)
{
    Rows r;
    r.data = std::move(data);
    r.grouping = grouping;
    r.tree = grouping == Grouping::CallStack ? std::move(topDown) : std::move(bottomUp);
    if (!r.data || !r.tree || r.tree->nodeCount() == 0)
        return r;
    const CallTree& t = *r.tree;
    r.kinds = t.kinds;
    for (size_t k = 0; k < t.kinds.size(); ++k)
        r.all.push_back(t.total[k][0]);
    const auto add = [&](uint32_t node, bool self) {
        r.frame.push_back(t.frame[node]);
        r.node.push_back(node);
        for (size_t k = 0; k < t.kinds.size(); ++k)
            r.cost.push_back(self ? t.selfCost(k, node) : t.total[k][node]);
    };
    if (grouping == Grouping::CallStack) {
        for (uint32_t v = 1; v < t.nodeCount(); ++v) {
            bool any = false;
            for (size_t k = 0; k < t.kinds.size(); ++k)
                any |= t.selfCost(k, v) != 0;
            if (any)
                add(v, true);
        }
    } else if (grouping == Grouping::Frame) {
        for (uint32_t k = 0; k < t.childCount(0); ++k)
            add(t.child(0, k), false);
    } else {
        std::map<uint32_t, size_t> byFile; // file string -> row
        for (uint32_t k = 0; k < t.childCount(0); ++k) {
            const uint32_t c = t.child(0, k);
            const auto [it, added] = byFile.emplace(r.data->frames[t.frame[c]].file, r.size());
            if (added) {
                r.frame.push_back(t.frame[c]);
                r.node.push_back(kNoIndex);
                r.cost.resize(r.cost.size() + t.kinds.size(), 0);
            }
            for (size_t j = 0; j < t.kinds.size(); ++j)
                r.cost[it->second * t.kinds.size() + j] += t.total[j][c];
        }
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
