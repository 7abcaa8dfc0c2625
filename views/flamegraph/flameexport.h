#pragma once

#include "calltree.h"
#include "flamepainter.h"

#include <QString>
#include <vector>

namespace hs {

// Writes a flame graph as SVG, PNG or PDF (by the file's suffix), the same picture the window
// paints: laid out at `width`, as tall as its rows (or `height` pixels when given, the rows
// below cut off), PNG at `scale` device pixels per pixel.
struct FlameExportRequest
{
    QString path;
    int width = 1600;
    int height = 0; // 0: as tall as the graph
    double scale = 1;
    int column = 0;
    uint32_t zoomNode = 0;
    FlamePainter::Style style;
    const std::vector<uint8_t>* matches = nullptr;
};

class FlameExport
{
public:
    // False with `error` set when the format is unknown or the file cannot be written.
    static bool write(const ProfileData& data, const CallTree& tree,
                      const std::vector<uint32_t>& order, const FlameExportRequest& request,
                      QString& error);
    static QStringList formats(); // "svg", "png", "pdf"
};

} // namespace hs
