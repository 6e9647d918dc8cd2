#include "agent/metrics/textformat.h"

#include <QLocale>

#include <cmath>

namespace ferry::agent::metrics::textformat {

namespace {

QByteArray escape(QByteArrayView text, bool quotes)
{
    QByteArray out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"' && quotes)
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

} // namespace

QByteArray escapeLabelValue(QByteArrayView value)
{
    return escape(value, true);
}

QByteArray escapeHelp(QByteArrayView help)
{
    return escape(help, false);
}

QByteArray formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

void appendSample(QByteArray &out, QByteArrayView name, const QList<QByteArray> &labelNames,
                  const QList<QByteArray> &labelValues, QByteArrayView value,
                  QByteArrayView extraLabel, QByteArrayView extraValue)
{
    out += name;
    const bool extra = !extraLabel.isEmpty();
    if (!labelNames.isEmpty() || extra) {
        out += '{';
        for (qsizetype i = 0; i < labelNames.size(); ++i) {
            if (i > 0)
                out += ',';
            out += labelNames[i];
            out += "=\"";
            out += escapeLabelValue(labelValues.value(i));
            out += '"';
        }
        if (extra) {
            if (!labelNames.isEmpty())
                out += ',';
            out += extraLabel;
            out += "=\"";
            out += escapeLabelValue(extraValue);
            out += '"';
        }
        out += '}';
    }
    out += ' ';
    out += value;
    out += '\n';
}

} // namespace ferry::agent::metrics::textformat
