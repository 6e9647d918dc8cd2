#pragma once

#include "agent/metrics/counterfamily.h"
#include "agent/metrics/gaugefamily.h"
#include "agent/metrics/histogramfamily.h"

#include <memory>
#include <mutex>
#include <vector>

namespace ferry::agent::metrics {

// The metric families of one process and their text exposition. Families are added at
// start-up and never removed; the references returned stay valid as long as the registry.
class Registry
{
public:
    CounterFamily &counter(QByteArray name, QByteArray help, QList<QByteArray> labelNames = {});
    GaugeFamily &gauge(QByteArray name, QByteArray help, QList<QByteArray> labelNames = {});
    HistogramFamily &histogram(QByteArray name, QByteArray help, QList<QByteArray> labelNames,
                               QList<double> bounds);

    // Every family in the Prometheus text format 0.0.4, in the order they were added.
    QByteArray render() const;

    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

private:
    template <typename F> F &add(std::unique_ptr<F> family);

    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<MetricFamily>> m_families;
};

} // namespace ferry::agent::metrics
