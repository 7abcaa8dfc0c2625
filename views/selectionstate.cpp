#include "selectionstate.h"

#include <algorithm>

namespace hs {

std::vector<CostKind> SelectionState::costKinds() const
{
    if (!data())
        return {};
    return hs::costKinds(*data(), m_snapshot, m_hasRange);
}

void SelectionState::fixCost()
{
    // Keep the cost when the new snapshot has it; else its first (the most telling) one.
    const std::vector<CostKind> kinds = costKinds();
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), m_cost) == kinds.end())
        m_cost = kinds.front();
}

void SelectionState::setCurrent(std::shared_ptr<const Document> document, uint32_t snapshot)
{
    if (document == m_document && snapshot == m_snapshot)
        return;
    const bool otherDocument = document != m_document;
    m_document = std::move(document);
    m_snapshot = snapshot;
    const bool hadPair = m_pair.first != kNoIndex;
    if (otherDocument) {
        m_selectedFrame = kNoIndex;
        m_hasRange = false;
        m_pair = {kNoIndex, kNoIndex};
    }
    fixCost();
    emit currentChanged();
    if (hadPair && m_pair.first == kNoIndex)
        emit comparePairChanged();
}

void SelectionState::setCost(CostKind cost)
{
    if (cost == m_cost)
        return;
    m_cost = cost;
    emit costChanged();
}

void SelectionState::setSearch(const QString& search)
{
    if (search == m_search)
        return;
    m_search = search;
    emit searchChanged();
}

void SelectionState::setSelectedFrame(uint32_t frame)
{
    if (frame == m_selectedFrame)
        return;
    m_selectedFrame = frame;
    emit selectedFrameChanged();
}

void SelectionState::setTimeRange(int64_t fromMs, int64_t toMs)
{
    if (m_hasRange && fromMs == m_fromMs && toMs == m_toMs)
        return;
    m_hasRange = true;
    m_fromMs = std::min(fromMs, toMs);
    m_toMs = std::max(fromMs, toMs);
    fixCost();
    emit timeRangeChanged();
}

void SelectionState::clearTimeRange()
{
    if (!m_hasRange)
        return;
    m_hasRange = false;
    fixCost();
    emit timeRangeChanged();
}

void SelectionState::setComparePair(uint32_t before, uint32_t after)
{
    const std::pair<uint32_t, uint32_t> pair = before == kNoIndex || after == kNoIndex
                                                   ? std::pair{kNoIndex, kNoIndex}
                                                   : std::pair{before, after};
    if (pair == m_pair)
        return;
    m_pair = pair;
    emit comparePairChanged();
}

} // namespace hs
