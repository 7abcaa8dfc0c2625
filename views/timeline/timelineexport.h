#pragma once

#include "timelinepainter.h"

#include <QFont>
#include <QString>
#include <QStringList>

namespace hs {

// What to write: the chart as the window paints it, under a title and a caption line (the
// range and its deltas), or the series' points as CSV.
struct TimelineExportRequest
{
    QString path;
    int width = 1200;
    int height = 360; // the chart's; the title and caption add their lines
    double scale = 1; // PNG: device pixels per pixel
    TimelineView view;
    QString title;
    QString caption;
    QFont font;
    bool dark = false;
};

class TimelineExport
{
public:
    // By the file's suffix: .svg, .png, .pdf or .csv. False with `error` set when the format
    // is unknown or the file cannot be written; a file that was there stays as it was then.
    static bool write(const TimelineData& data, const TimelineExportRequest& request,
                      QString& error);
    static QStringList formats();
    // Every point of every series in [fromMs, toMs] as "series,unit,time_ms,value" rows (each
    // top site once, its own bytes); empty or what went wrong.
    static QString writeCsv(const QString& path, const TimelineData& data, double fromMs,
                            double toMs);
};

} // namespace hs
