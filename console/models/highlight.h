#pragma once

#include <QColor>

namespace ferry::console {

// A row's background for a warning or a problem that reads well on light and dark palettes: the
// tint blended into the palette's base colour (so the palette's text colour stays legible).
enum class Severity { None, Warning, Problem };

QColor severityBackground(Severity severity);

} // namespace ferry::console
