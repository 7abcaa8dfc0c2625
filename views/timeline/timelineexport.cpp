#include "timelineexport.h"

#include "csvexport.h"

#include <QBuffer>
#include <QFileInfo>
#include <QFontMetrics>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPalette>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace hs {

namespace {

// A fixed palette: an exported picture looks the same whatever the desktop's theme.
QPalette exportPalette(bool dark)
{
    QPalette p;
    const auto set = [&p](QPalette::ColorRole role, QColor c) { p.setColor(role, c); };
    set(QPalette::Window, dark ? QColor(32, 32, 32) : QColor(Qt::white));
    set(QPalette::Base, dark ? QColor(32, 32, 32) : QColor(Qt::white));
    set(QPalette::Text, dark ? QColor(230, 230, 230) : QColor(20, 20, 20));
    set(QPalette::Mid, dark ? QColor(90, 90, 90) : QColor(170, 170, 170));
    set(QPalette::PlaceholderText, QColor(128, 128, 128));
    set(QPalette::Highlight, QColor(48, 120, 220));
    return p;
}

QString number(double v)
{
    // Whole numbers as integers (bytes, counts, ms), anything else with enough digits.
    return v == double(int64_t(v)) ? QString::number(int64_t(v)) : QString::number(v, 'g', 15);
}

} // namespace

QStringList TimelineExport::formats()
{
    return {QStringLiteral("svg"), QStringLiteral("png"), QStringLiteral("pdf"),
            QStringLiteral("csv")};
}

QString TimelineExport::writeCsv(const QString& path, const TimelineData& data, double fromMs,
                                 double toMs)
{
    std::vector<std::pair<size_t, size_t>> rows; // (series, point)
    for (size_t k = 0; k < data.series.size(); ++k) {
        const TimelineSeries& s = data.series[k];
        if (s.group == SeriesGroup::SitesStacked)
            continue;
        for (size_t i = 0; i < s.timeMs.size(); ++i)
            if (s.timeMs[i] >= fromMs && s.timeMs[i] <= toMs)
                rows.emplace_back(k, i);
    }
    return CsvExport::write(
        path, {"series", "unit", "time_ms", "value"}, rows.size(), [&](size_t r) {
            const TimelineSeries& s = data.series[rows[r].first];
            const size_t i = rows[r].second;
            return QStringList{s.name, s.bytes ? QStringLiteral("bytes") : QStringLiteral("count"),
                               number(s.timeMs[i]), number(s.value[i])};
        });
}

bool TimelineExport::write(const TimelineData& data, const TimelineExportRequest& r, QString& error)
{
    const QString suffix = QFileInfo(r.path).suffix().toLower();
    if (!formats().contains(suffix)) {
        error = r.path + QStringLiteral(": unknown format (use .svg, .png, .pdf or .csv)");
        return false;
    }
    if (suffix == QLatin1String("csv")) {
        error = writeCsv(r.path, data, r.view.fromMs, r.view.toMs);
        return error.isEmpty();
    }
    QSaveFile file(r.path);
    if (!file.open(QIODevice::WriteOnly)) {
        error = r.path + QStringLiteral(": cannot be written (") + file.errorString() + ')';
        return false;
    }
    const QFontMetrics fm(r.font);
    const int line = fm.height() + 4;
    const int head = (r.title.isEmpty() ? 0 : line) + (r.caption.isEmpty() ? 0 : line) + 4;
    const QSize size(r.width, head + r.height);
    const QPalette palette = exportPalette(r.dark);
    const auto draw = [&](QPainter& p) {
        p.setRenderHint(QPainter::TextAntialiasing);
        p.fillRect(QRect(QPoint(0, 0), size), palette.color(QPalette::Base));
        p.setFont(r.font);
        p.setPen(palette.color(QPalette::Text));
        int y = 4;
        for (const QString& text : {r.title, r.caption}) {
            if (text.isEmpty())
                continue;
            p.drawText(QRect(8, y, r.width - 16, line), Qt::AlignLeft | Qt::AlignVCenter,
                       fm.elidedText(text, Qt::ElideRight, r.width - 16));
            y += line;
        }
        TimelinePainter::paint(p, QRect(0, head, r.width, r.height), data, r.view, palette, r.font);
    };
    if (suffix == QLatin1String("svg")) {
        QBuffer buffer;
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(r.title);
        svg.setDescription(r.caption);
        {
            QPainter p(&svg);
            draw(p);
        }
        file.write(buffer.data());
    } else if (suffix == QLatin1String("png")) {
        QImage image(size * r.scale, QImage::Format_RGB32);
        {
            QPainter p(&image);
            p.scale(r.scale, r.scale);
            draw(p);
        }
        if (!image.save(&file, "PNG")) {
            error = r.path + QStringLiteral(": the PNG could not be encoded");
            return false;
        }
    } else {
        QPdfWriter pdf(&file);
        pdf.setResolution(72);
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(r.title);
        pdf.setCreator(QStringLiteral("heapscope"));
        QPainter p(&pdf);
        draw(p);
    }
    if (!file.commit()) {
        error = r.path + QStringLiteral(": cannot be written (") + file.errorString() + ')';
        return false;
    }
    return true;
}

} // namespace hs
