#pragma once

#include "calltree.h"

#include <QString>
#include <cstdint>

namespace hs {

// Costs as people read them: bytes in binary units (KiB, MiB: what heaptrack_gui and
// tracemalloc's Statistic print), counts with digit grouping; exact figures for tooltips.
QString formatBytes(int64_t bytes);
QString formatCount(int64_t count);
QString formatCost(CostKind kind, int64_t value);
QString formatExactCost(CostKind kind, int64_t value); // "1,234,567 B" / "1,234,567"
QString formatShare(double share);                     // "12.3 %"

} // namespace hs
