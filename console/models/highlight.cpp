#include "console/models/highlight.h"

#include <QGuiApplication>
#include <QPalette>

namespace ferry::console {

QColor severityBackground(Severity severity)
{
    if (severity == Severity::None)
        return {};
    const QColor base = QGuiApplication::palette().color(QPalette::Base);
    const bool dark = base.lightnessF() < 0.5;
    // Amber for a warning, red for a problem; a stronger share on dark bases.
    const QColor tint =
        severity == Severity::Warning ? QColor(0xf2, 0xa9, 0x00) : QColor(0xd9, 0x30, 0x25);
    const double share = dark ? 0.45 : 0.28;
    return QColor::fromRgbF(float(base.redF() * (1 - share) + tint.redF() * share),
                            float(base.greenF() * (1 - share) + tint.greenF() * share),
                            float(base.blueF() * (1 - share) + tint.blueF() * share));
}

} // namespace ferry::console
