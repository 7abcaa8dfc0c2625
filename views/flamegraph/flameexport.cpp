#include "flameexport.h"

#include "flamesvgwriter.h"
#include "flametext.h"

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

namespace hs {

QStringList FlameExport::formats()
{
    return {QStringLiteral("svg"), QStringLiteral("png"), QStringLiteral("pdf")};
}

bool FlameExport::write(const ProfileData& data, const CallTree& tree,
                        const std::vector<uint32_t>& order, const FlameExportRequest& request,
                        QString& error)
{
    const QString suffix = QFileInfo(request.path).suffix().toLower();
    if (!formats().contains(suffix)) {
        error = request.path + QStringLiteral(": unknown format (use .svg, .png or .pdf)");
        return false;
    }
    FlameLayoutOptions options;
    options.column = request.column;
    options.zoomNode = request.zoomNode;
    options.width = request.width;
    // An SVG or PDF is looked at closer than a screen: keep frames down to half a point.
    options.minWidth = suffix == QLatin1String("png") ? 1.0 / request.scale : 0.5;
    const FlameLayout layout = layoutFlame(tree, order, options);
    FlamePainter painter(data, tree, layout, request.column, request.style);
    painter.setMatches(request.matches);
    const int height = request.height > 0 ? request.height : std::max(painter.height(), 1);

    QSaveFile file(request.path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = request.path + QStringLiteral(": cannot be written (") + file.errorString() + ')';
        return false;
    }
    const QColor background = request.style.dark ? QColor(32, 32, 32) : QColor(Qt::white);
    if (suffix == QLatin1String("svg")) {
        const auto tooltip = [&](const FlameBox& b) {
            return b.node == FlameBox::kMerged
                       ? painter.label(b)
                       : FlameText::tooltip(data, tree, request.column, b.node, false);
        };
        file.write(FlameSvgWriter::write(painter, layout, request.width, request.style.font,
                                         request.style.title, tooltip, request.style.dark));
    } else if (suffix == QLatin1String("png")) {
        QImage image(QSize(int(request.width * request.scale), int(height * request.scale)),
                     QImage::Format_RGB32);
        image.fill(background);
        {
            QPainter p(&image);
            p.setRenderHint(QPainter::TextAntialiasing);
            p.scale(request.scale, request.scale);
            p.setClipRect(QRectF(0, 0, request.width, height));
            painter.paint(p);
        }
        if (!image.save(&file, "PNG")) {
            error = request.path + QStringLiteral(": the PNG could not be encoded");
            return false;
        }
    } else {
        QPdfWriter pdf(&file);
        pdf.setResolution(72);
        pdf.setPageSize(QPageSize(QSizeF(request.width, height), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(request.style.title);
        pdf.setCreator(QStringLiteral("heapscope"));
        QPainter p(&pdf);
        p.fillRect(QRectF(0, 0, request.width, height), background);
        painter.paint(p);
    }
    if (!file.commit()) {
        error = request.path + QStringLiteral(": cannot be written (") + file.errorString() + ')';
        return false;
    }
    return true;
}

} // namespace hs
