#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace ferry::agent::metrics::textformat {

// The pieces of the Prometheus text exposition format 0.0.4.

// A label value: backslash, double quote and line feed escaped.
QByteArray escapeLabelValue(QByteArrayView value);
// HELP text: backslash and line feed escaped.
QByteArray escapeHelp(QByteArrayView help);
// A sample value: integers without a fraction, NaN, +Inf, -Inf as Prometheus spells them.
QByteArray formatValue(double value);
// `name{a="x",b="y",extra="v"} value\n`; the extra label (such as `le`) is optional.
void appendSample(QByteArray &out, QByteArrayView name, const QList<QByteArray> &labelNames,
                  const QList<QByteArray> &labelValues, QByteArrayView value,
                  QByteArrayView extraLabel = {}, QByteArrayView extraValue = {});

} // namespace ferry::agent::metrics::textformat
