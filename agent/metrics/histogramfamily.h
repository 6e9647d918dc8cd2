#pragma once

#include "agent/metrics/labelledcells.h"

#include <atomic>
#include <memory>

namespace ferry::agent::metrics {

// Observations counted into fixed buckets per label set, exported as cumulative
// `_bucket{le="…"}` samples (the last one `le="+Inf"`), `_sum` and `_count`. observe() is a
// thread-local lookup, a binary search over the bounds and two relaxed atomic adds.
class HistogramFamily final : public MetricFamily
{
public:
    // `bounds`: the upper bounds of the buckets, ascending, without +Inf.
    HistogramFamily(QByteArray name, QByteArray help, QList<QByteArray> labelNames,
                    QList<double> bounds);

    void observe(const LabelValues &values, double value);

    struct Snapshot
    {
        QList<quint64> cumulative; // one per bound, then +Inf
        double sum = 0;
        quint64 count = 0;
    };
    Snapshot snapshot(const LabelValues &values) const;
    const QList<double> &bounds() const { return m_bounds; }

protected:
    void renderSamples(QByteArray &out) const override;

private:
    struct Cell
    {
        explicit Cell(qsizetype buckets)
            : counts(std::make_unique<std::atomic<quint64>[]>(size_t(buckets)))
        {}
        std::unique_ptr<std::atomic<quint64>[]> counts; // per bucket, not cumulative
        std::atomic<double> sum{0};
    };
    Snapshot snapshotOf(const Cell &cell) const;

    QList<double> m_bounds;
    QList<QByteArray> m_boundLabels;
    LabelledCells<Cell> m_cells;
};

} // namespace ferry::agent::metrics
