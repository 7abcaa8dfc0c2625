#include "costformat.h"

#include <cmath>

namespace hs {

QString formatBytes(int64_t bytes)
{
    const double magnitude = std::fabs(double(bytes));
    static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    double v = magnitude;
    while (v >= 1024 && unit < 4) {
        v /= 1024;
        ++unit;
    }
    const QString sign = bytes < 0 ? QStringLiteral("-") : QString();
    if (unit == 0)
        return sign + QString::number(int64_t(magnitude)) + QStringLiteral(" B");
    return sign +
           QString::number(v, 'f',
                           v < 10    ? 2
                           : v < 100 ? 1
                                     : 0) +
           QLatin1Char(' ') + QLatin1String(kUnits[unit]);
}

QString formatCount(int64_t count)
{
    // Groups of three digits with a narrow space, readable in any locale.
    const QString digits =
        QString::number(count < 0 ? -(count + 1) + uint64_t(1) : uint64_t(count));
    QString out;
    for (qsizetype k = 0; k < digits.size(); ++k) {
        if (k > 0 && (digits.size() - k) % 3 == 0)
            out += QChar(0x202F);
        out += digits[k];
    }
    return count < 0 ? QLatin1Char('-') + out : out;
}

QString formatCost(CostKind kind, int64_t value)
{
    return costIsBytes(kind) ? formatBytes(value) : formatCount(value);
}

QString formatExactCost(CostKind kind, int64_t value)
{
    return formatCount(value) + (costIsBytes(kind) ? QStringLiteral(" B") : QString());
}

QString formatShare(double share)
{
    return QString::number(share * 100, 'f', share < 0.001 ? 3 : 1) + QStringLiteral(" %");
}

} // namespace hs
