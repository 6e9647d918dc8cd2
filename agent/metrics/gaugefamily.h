#pragma once

#include "agent/metrics/labelledcells.h"

#include <QPair>

#include <atomic>
#include <mutex>
#include <optional>

namespace ferry::agent::metrics {

// A value per label set that goes up and down. set()/add() are lock-free on the hot path;
// replace() swaps the whole set of samples at once (a collector's snapshot), so that a scrape
// never sees half of an old and half of a new snapshot, and label sets that vanished are no
// longer exported.
class GaugeFamily final : public MetricFamily
{
public:
    GaugeFamily(QByteArray name, QByteArray help, QList<QByteArray> labelNames);

    void set(const LabelValues &values, double value);
    void add(const LabelValues &values, double delta);
    void replace(const QList<QPair<LabelValues, double>> &samples);
    // The exported value of one label set, or nullopt when it is not exported.
    std::optional<double> value(const LabelValues &values) const;

protected:
    void renderSamples(QByteArray &out) const override;

private:
    struct Cell
    {
        std::atomic<double> value{0};
        std::atomic<bool> present{false};
    };
    LabelledCells<Cell> m_cells;
    mutable std::mutex m_snapshotMutex; // replace() against render()
};

} // namespace ferry::agent::metrics
