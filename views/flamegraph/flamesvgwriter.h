#pragma once

#include "flamepainter.h"

#include <QByteArray>
#include <functional>

namespace hs {

// A flame graph as SVG text written directly, not through QSvgGenerator (which wraps every
// primitive in a group of its own): per visible frame one <rect> with its tooltip and, where
// the label fits, one <text>; small frames are already merged by the layout. Same fills and
// labels as the painted graph.
class FlameSvgWriter
{
public:
    static QByteArray write(const FlamePainter& painter, const FlameLayout& layout, double width,
                            const QFont& font, const QString& title,
                            const std::function<QString(const FlameBox&)>& tooltip, bool dark);
};

} // namespace hs
