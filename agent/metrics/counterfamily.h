#pragma once

#include "agent/metrics/labelledcells.h"

#include <atomic>
#include <functional>

namespace ferry::agent::metrics {

// A monotonically increasing count per label set. inc() is a thread-local lookup and one
// relaxed atomic add.
class CounterFamily final : public MetricFamily
{
public:
    // Maps stored label values to exported ones at render time (for example an opaque tenant
    // key to the tenant's name); samples that map to the same labels are summed.
    using Mapper = std::function<LabelValues(const LabelValues &)>;

    CounterFamily(QByteArray name, QByteArray help, QList<QByteArray> labelNames);

    void inc(const LabelValues &values, quint64 by = 1);
    // The stored count of one label set (before mapping); 0 when it never counted.
    quint64 value(const LabelValues &values) const;
    // Every stored label set (before mapping).
    QList<LabelValues> labelSets() const;
    // Set once, before the first render.
    void setMapper(Mapper mapper);

protected:
    void renderSamples(QByteArray &out) const override;

private:
    struct Cell
    {
        std::atomic<quint64> value{0};
    };
    LabelledCells<Cell> m_cells;
    Mapper m_mapper;
};

} // namespace ferry::agent::metrics
