#include "csvexport.h"

#include <QSaveFile>
#include <algorithm>

namespace hs {

namespace {

QByteArray field(const QString& text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text.toUtf8();
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return '"' + quoted.toUtf8() + '"';
}

QByteArray line(const QStringList& fields)
{
    QByteArray out;
    for (qsizetype k = 0; k < fields.size(); ++k) {
        if (k)
            out += ',';
        out += field(fields[k]);
    }
    return out + "\r\n";
}

} // namespace

QString CsvExport::write(const QString& path, const QStringList& header, size_t rows,
                         const std::function<QStringList(size_t)>& row)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return path + QStringLiteral(": cannot be written (") + file.errorString() + ')';
    file.write(line(header));
    for (size_t r = 0; r < rows; ++r)
        file.write(line(row(r)));
    if (!file.commit())
        return path + QStringLiteral(": cannot be written (") + file.errorString() + ')';
    return {};
}

QString CsvExport::writeTree(const QString& path, const ProfileData& data, const CallTree& tree,
                             const std::vector<uint8_t>* keep)
{
    QStringList header{QStringLiteral("depth"), QStringLiteral("frame"), QStringLiteral("location"),
                       QStringLiteral("module")};
    for (const CostKind k : tree.kinds)
        header << QString::fromLatin1(costName(k));
    for (const CostKind k : tree.kinds)
        header << QString::fromLatin1(costName(k)) + QStringLiteral("_self");
    std::vector<uint32_t> order; // depth first
    std::vector<uint32_t> stack;
    const auto pushChildren = [&](uint32_t v) {
        std::vector<uint32_t> kids(tree.children.begin() + tree.childStart[v],
                                   tree.children.begin() + tree.childStart[v + 1]);
        std::sort(kids.begin(), kids.end(), [&](uint32_t a, uint32_t b) {
            return tree.total[0][a] != tree.total[0][b] ? tree.total[0][a] < tree.total[0][b]
                                                        : a > b;
        });
        for (const uint32_t c : kids) // smallest pushed first: the largest comes out first
            if (!keep || (*keep)[c])
                stack.push_back(c);
    };
    if (tree.nodeCount() > 0)
        pushChildren(0);
    while (!stack.empty()) {
        const uint32_t v = stack.back();
        stack.pop_back();
        order.push_back(v);
        pushChildren(v);
    }
    return write(path, header, order.size(), [&](size_t r) {
        const uint32_t v = order[r];
        QStringList f{QString::number(tree.depth[v]),
                      QString::fromStdString(frameLabel(data, tree.frame[v])),
                      QString::fromStdString(frameLocation(data, tree.frame[v])),
                      QString::fromStdString(frameModule(data, tree.frame[v]))};
        for (size_t k = 0; k < tree.kinds.size(); ++k)
            f << QString::number(tree.total[k][v]);
        for (size_t k = 0; k < tree.kinds.size(); ++k)
            f << QString::number(tree.selfCost(k, v));
        return f;
    });
}

} // namespace hs
