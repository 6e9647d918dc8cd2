#include "agent/metrics/histogramfamily.h"

#include "agent/metrics/textformat.h"

#include <algorithm>
#include <cmath>

namespace ferry::agent::metrics {

HistogramFamily::HistogramFamily(QByteArray name, QByteArray help, QList<QByteArray> labelNames,
                                 QList<double> bounds)
    : MetricFamily(std::move(name), std::move(help), Type::Histogram, std::move(labelNames))
    , m_bounds(std::move(bounds))
    , m_cells(this->labelNames().size(),
              [n = m_bounds.size() + 1] { return std::make_unique<Cell>(n); })
{
    std::sort(m_bounds.begin(), m_bounds.end());
    m_bounds.erase(std::unique(m_bounds.begin(), m_bounds.end()), m_bounds.end());
    for (double b : std::as_const(m_bounds))
        m_boundLabels.append(textformat::formatValue(b));
}

void HistogramFamily::observe(const LabelValues &values, double value)
{
    if (std::isnan(value))
        return;
    Cell &cell = m_cells.at(values);
    // The first bucket whose upper bound is >= value (le: less than or equal).
    const auto index =
        std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), value) - m_bounds.cbegin();
    cell.counts[size_t(index)].fetch_add(1, std::memory_order_relaxed);
    cell.sum.fetch_add(value, std::memory_order_relaxed);
}

HistogramFamily::Snapshot HistogramFamily::snapshotOf(const Cell &cell) const
{
    Snapshot s;
    quint64 running = 0;
    for (qsizetype i = 0; i <= m_bounds.size(); ++i) {
        running += cell.counts[size_t(i)].load(std::memory_order_relaxed);
        s.cumulative.append(running);
    }
    s.count = running; // == the +Inf bucket, always
    s.sum = cell.sum.load(std::memory_order_relaxed);
    return s;
}

HistogramFamily::Snapshot HistogramFamily::snapshot(const LabelValues &values) const
{
    const Cell *cell = m_cells.find(values);
    if (!cell) {
        Snapshot empty;
        empty.cumulative.fill(0, m_bounds.size() + 1);
        return empty;
    }
    return snapshotOf(*cell);
}

void HistogramFamily::renderSamples(QByteArray &out) const
{
    const QByteArray bucket = name() + "_bucket";
    const QByteArray sum = name() + "_sum";
    const QByteArray count = name() + "_count";
    m_cells.forEach([&](const LabelValues &values, const Cell &cell) {
        const Snapshot s = snapshotOf(cell);
        for (qsizetype i = 0; i < m_bounds.size(); ++i)
            textformat::appendSample(out, bucket, labelNames(), values,
                                     QByteArray::number(s.cumulative[i]), "le", m_boundLabels[i]);
        textformat::appendSample(out, bucket, labelNames(), values, QByteArray::number(s.count),
                                 "le", "+Inf");
        textformat::appendSample(out, sum, labelNames(), values, textformat::formatValue(s.sum));
        textformat::appendSample(out, count, labelNames(), values, QByteArray::number(s.count));
    });
}

} // namespace ferry::agent::metrics
