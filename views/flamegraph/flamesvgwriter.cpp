#include "flamesvgwriter.h"

#include <QFontMetricsF>

namespace hs {

namespace {

QByteArray escaped(const QString& text)
{
    return text.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("&#10;")).toUtf8();
}

QByteArray number(double v)
{
    return QByteArray::number(v, 'f', 2).replace(".00", "");
}

} // namespace

QByteArray FlameSvgWriter::write(const FlamePainter& painter, const FlameLayout& layout,
                                 double width, const QFont& font, const QString& title,
                                 const std::function<QString(const FlameBox&)>& tooltip, bool dark)
{
    const QFontMetricsF metrics(font);
    const int height = painter.height();
    QByteArray out;
    out.reserve(int(layout.boxes.size()) * 160 + 1024);
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width) + "\" height=\"" +
           QByteArray::number(height) + "\" viewBox=\"0 0 " + number(width) + ' ' +
           QByteArray::number(height) + "\" font-family=\"" + escaped(font.family()) +
           ",sans-serif\" font-size=\"" +
           number(font.pointSizeF() > 0 ? font.pointSizeF() * 4 / 3 : font.pixelSize()) + "px\">\n";
    out += "<title>" + escaped(title) + "</title>\n";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"" +
           QByteArray(dark ? "#202020" : "#ffffff") + "\"/>\n";
    const QByteArray textFill = dark ? "#ebebeb" : "#141414";
    if (!title.isEmpty())
        out += "<text x=\"4\" y=\"" + number(painter.titleHeight() / 2.0) +
               "\" dominant-baseline=\"central\" font-weight=\"bold\" fill=\"" + textFill + "\">" +
               escaped(title) + "</text>\n";
    for (const FlameBox& box : layout.boxes) {
        const QRectF r = painter.boxRect(box);
        out += "<rect x=\"" + number(r.x()) + "\" y=\"" + number(r.y()) + "\" width=\"" +
               number(std::max(r.width() - (r.width() >= 3 ? 1 : 0), 0.5)) + "\" height=\"" +
               number(r.height() - 1) + "\" fill=\"" + painter.fill(box).name().toLatin1() +
               "\"><title>" + escaped(tooltip(box)) + "</title></rect>\n";
        if (r.width() > 3 * metrics.averageCharWidth()) {
            const QString text =
                metrics.elidedText(painter.label(box), Qt::ElideRight, r.width() - 6);
            if (!text.isEmpty())
                out += "<text x=\"" + number(r.x() + 3) + "\" y=\"" +
                       number(r.y() + r.height() / 2) + "\" dominant-baseline=\"central\" fill=\"" +
                       textFill + "\">" + escaped(text) + "</text>\n";
        }
    }
    out += "</svg>\n";
    return out;
}

} // namespace hs
