#include "flametext.h"

#include "costformat.h"

#include <QStringList>

namespace hs {

QString FlameText::frameLine(const ProfileData& data, uint32_t frame)
{
    QString line = QString::fromStdString(frameLabel(data, frame));
    const std::string location = frameLocation(data, frame);
    const Frame& f = data.frames[frame];
    if (!location.empty() && f.function != kNoIndex)
        line += QStringLiteral(" (") + QString::fromStdString(location) + QLatin1Char(')');
    const std::string module = frameModule(data, frame);
    if (!module.empty())
        line += QStringLiteral(" [") + QString::fromStdString(module) + QLatin1Char(']');
    return line;
}

QString FlameText::tooltip(const ProfileData& data, const CallTree& tree, int column, uint32_t node,
                           bool rich)
{
    if (node >= tree.nodeCount() || column < 0 || size_t(column) >= tree.kinds.size())
        return {};
    const auto esc = [rich](const QString& s) { return rich ? s.toHtmlEscaped() : s; };
    QStringList lines;
    const uint32_t frame = tree.frame[node];
    if (node == 0) {
        lines << (rich ? QStringLiteral("<b>all</b>") : QStringLiteral("all"));
    } else {
        const QString name = esc(QString::fromStdString(frameLabel(data, frame)));
        lines << (rich ? QStringLiteral("<b>%1</b>").arg(name) : name);
        const std::string location = frameLocation(data, frame);
        if (!location.empty() && data.frames[frame].function != kNoIndex)
            lines << esc(QString::fromStdString(location));
        const std::string module = frameModule(data, frame);
        if (!module.empty())
            lines << esc(QString::fromStdString(module));
    }
    const CostKind kind = tree.kinds[size_t(column)];
    const auto& total = tree.total[size_t(column)];
    const int64_t value = total[node];
    QString cost = QStringLiteral("%1: %2").arg(QString::fromLatin1(costTitle(kind)),
                                                formatExactCost(kind, value));
    if (total[0] != 0)
        cost += QStringLiteral(", %1 of all").arg(formatShare(double(value) / double(total[0])));
    if (node != 0 && total[tree.parent[node]] != 0)
        cost += QStringLiteral(", %1 of the caller")
                    .arg(formatShare(double(value) / double(total[tree.parent[node]])));
    lines << cost;
    const int64_t self = tree.selfCost(size_t(column), node);
    if (self != 0)
        lines << QStringLiteral("self: %1").arg(formatExactCost(kind, self));
    return lines.join(rich ? QStringLiteral("<br>") : QStringLiteral("\n"));
}

QString FlameText::stack(const ProfileData& data, const CallTree& tree, uint32_t node)
{
    QStringList lines;
    for (uint32_t v = node; v != kNoIndex && v != 0; v = tree.parent[v])
        lines << frameLine(data, tree.frame[v]);
    return lines.join(QLatin1Char('\n'));
}

} // namespace hs
