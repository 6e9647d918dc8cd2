#pragma once

#include <QByteArray>
#include <QList>

namespace ferry::agent::metrics {

// The values of a sample's labels, in the order of its family's label names.
using LabelValues = QList<QByteArray>;

// One metric family (one name, one type, one set of label names) and its text exposition.
// Families are created at start-up by the Registry and live as long as it does.
class MetricFamily
{
public:
    enum class Type { Counter, Gauge, Histogram };

    MetricFamily(QByteArray name, QByteArray help, Type type, QList<QByteArray> labelNames);
    virtual ~MetricFamily();
    MetricFamily(const MetricFamily &) = delete;
    MetricFamily &operator=(const MetricFamily &) = delete;

    const QByteArray &name() const { return m_name; }
    const QByteArray &help() const { return m_help; }
    Type type() const { return m_type; }
    const QList<QByteArray> &labelNames() const { return m_labelNames; }

    // Appends `# HELP`, `# TYPE` and every sample in the Prometheus text format 0.0.4.
    void render(QByteArray &out) const;

protected:
    virtual void renderSamples(QByteArray &out) const = 0;

private:
    QByteArray m_name;
    QByteArray m_help;
    Type m_type;
    QList<QByteArray> m_labelNames;
};

} // namespace ferry::agent::metrics
