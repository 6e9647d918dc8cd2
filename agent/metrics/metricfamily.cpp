#include "agent/metrics/metricfamily.h"

#include "agent/metrics/textformat.h"

namespace ferry::agent::metrics {

MetricFamily::MetricFamily(QByteArray name, QByteArray help, Type type,
                           QList<QByteArray> labelNames)
    : m_name(std::move(name))
    , m_help(std::move(help))
    , m_type(type)
    , m_labelNames(std::move(labelNames))
{}

MetricFamily::~MetricFamily() = default;

void MetricFamily::render(QByteArray &out) const
{
    out += "# HELP " + m_name + ' ' + textformat::escapeHelp(m_help) + '\n';
    out += "# TYPE " + m_name + ' ';
    switch (m_type) {
    case Type::Counter:
        out += "counter\n";
        break;
    case Type::Gauge:
        out += "gauge\n";
        break;
    case Type::Histogram:
        out += "histogram\n";
        break;
    }
    renderSamples(out);
}

} // namespace ferry::agent::metrics
