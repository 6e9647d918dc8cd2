#include "agent/metrics/gaugefamily.h"

#include "agent/metrics/textformat.h"

namespace ferry::agent::metrics {

GaugeFamily::GaugeFamily(QByteArray name, QByteArray help, QList<QByteArray> labelNames)
    : MetricFamily(std::move(name), std::move(help), Type::Gauge, std::move(labelNames))
    , m_cells(this->labelNames().size(), [] { return std::make_unique<Cell>(); })
{}

void GaugeFamily::set(const LabelValues &values, double value)
{
    Cell &cell = m_cells.at(values);
    cell.value.store(value, std::memory_order_relaxed);
    cell.present.store(true, std::memory_order_release);
}

void GaugeFamily::add(const LabelValues &values, double delta)
{
    Cell &cell = m_cells.at(values);
    cell.value.fetch_add(delta, std::memory_order_relaxed);
    cell.present.store(true, std::memory_order_release);
}

void GaugeFamily::replace(const QList<QPair<LabelValues, double>> &samples)
{
    std::lock_guard lock(m_snapshotMutex);
    m_cells.forEach([](const LabelValues &, Cell &cell) {
        cell.present.store(false, std::memory_order_relaxed);
    });
    for (const auto &[values, value] : samples) {
        Cell &cell = m_cells.at(values);
        cell.value.store(value, std::memory_order_relaxed);
        cell.present.store(true, std::memory_order_release);
    }
}

std::optional<double> GaugeFamily::value(const LabelValues &values) const
{
    std::lock_guard lock(m_snapshotMutex);
    const Cell *cell = m_cells.find(values);
    if (!cell || !cell->present.load(std::memory_order_acquire))
        return std::nullopt;
    return cell->value.load(std::memory_order_relaxed);
}

void GaugeFamily::renderSamples(QByteArray &out) const
{
    std::lock_guard lock(m_snapshotMutex);
    m_cells.forEach([&](const LabelValues &values, const Cell &cell) {
        if (cell.present.load(std::memory_order_acquire))
            textformat::appendSample(out, name(), labelNames(), values,
                                     textformat::formatValue(cell.value.load()));
    });
}

} // namespace ferry::agent::metrics
