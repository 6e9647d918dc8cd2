#include "agent/metrics/registry.h"

namespace ferry::agent::metrics {

template <typename F> F &Registry::add(std::unique_ptr<F> family)
{
    std::lock_guard lock(m_mutex);
    for (const auto &f : m_families)
        Q_ASSERT_X(f->name() != family->name(), "Registry", "metric name registered twice");
    F &ref = *family;
    m_families.push_back(std::move(family));
    return ref;
}

CounterFamily &Registry::counter(QByteArray name, QByteArray help, QList<QByteArray> labelNames)
{
    return add(
        std::make_unique<CounterFamily>(std::move(name), std::move(help), std::move(labelNames)));
}

GaugeFamily &Registry::gauge(QByteArray name, QByteArray help, QList<QByteArray> labelNames)
{
    return add(
        std::make_unique<GaugeFamily>(std::move(name), std::move(help), std::move(labelNames)));
}

HistogramFamily &Registry::histogram(QByteArray name, QByteArray help, QList<QByteArray> labelNames,
                                     QList<double> bounds)
{
    return add(std::make_unique<HistogramFamily>(std::move(name), std::move(help),
                                                 std::move(labelNames), std::move(bounds)));
}

QByteArray Registry::render() const
{
    QByteArray out;
    out.reserve(qsizetype(16) * 1024);
    std::lock_guard lock(m_mutex);
    for (const auto &f : m_families)
        f->render(out);
    return out;
}

} // namespace ferry::agent::metrics
