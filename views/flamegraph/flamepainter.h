#pragma once

#include "calltree.h"
#include "flamelayout.h"

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>
#include <cstdint>
#include <unordered_map>
#include <vector>

class QPainter;

namespace hs {

enum class FlameColours
{
    ByModule, // one hue per module (native) or file (Python): what belongs together looks alike
    ByCost,   // warmer the larger the frame's share of what is shown
};

// How a laid-out flame graph looks: colours, labels, search highlights. The widget, the PNG
// and PDF exports paint through paint(); the SVG writer asks for the same fills and labels,
// so every output shows the same picture.
class FlamePainter
{
public:
    struct Style
    {
        int rowHeight = 18;
        QFont font;
        bool dark = false; // the palette's window is dark: darker fills, light text
        FlameColours colours = FlameColours::ByModule;
        QString title; // drawn above the graph when not empty
    };

    FlamePainter(const ProfileData& data, const CallTree& tree, const FlameLayout& layout,
                 int column, Style style);

    // Per node: 1 where a search matched. Empty: no search (nothing dimmed).
    void setMatches(const std::vector<uint8_t>* matches) { m_matches = matches; }
    void setSelectedFrame(uint32_t frame) { m_selectedFrame = frame; }

    int titleHeight() const;
    int height() const; // of the whole picture, title included
    QRectF boxRect(const FlameBox& box) const;
    QColor fill(const FlameBox& box) const;
    QColor textColour(const FlameBox& box) const;
    QString label(const FlameBox& box) const;
    // What a frame's box says: its function, or a Python frame's file name and line.
    static QString frameText(const ProfileData& data, uint32_t frame);
    bool selected(const FlameBox& box) const;

    // Paints the boxes that meet `exposed` (everything for a null rect).
    void paint(QPainter& painter, const QRectF& exposed = QRectF()) const;

private:
    const ProfileData& m_data;
    const CallTree& m_tree;
    const FlameLayout& m_layout;
    int m_column;
    Style m_style;
    const std::vector<uint8_t>* m_matches = nullptr;
    uint32_t m_selectedFrame = kNoIndex;
    mutable std::unordered_map<uint32_t, int> m_hues; // by module or file string
};

} // namespace hs
