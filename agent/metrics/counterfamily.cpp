#include "agent/metrics/counterfamily.h"

#include "agent/metrics/textformat.h"

#include <map>

namespace ferry::agent::metrics {

CounterFamily::CounterFamily(QByteArray name, QByteArray help, QList<QByteArray> labelNames)
    : MetricFamily(std::move(name), std::move(help), Type::Counter, std::move(labelNames))
    , m_cells(this->labelNames().size(), [] { return std::make_unique<Cell>(); })
{}

void CounterFamily::inc(const LabelValues &values, quint64 by)
{
    m_cells.at(values).value.fetch_add(by, std::memory_order_relaxed);
}

quint64 CounterFamily::value(const LabelValues &values) const
{
    const Cell *cell = m_cells.find(values);
    return cell ? cell->value.load(std::memory_order_relaxed) : 0;
}

QList<LabelValues> CounterFamily::labelSets() const
{
    QList<LabelValues> out;
    m_cells.forEach([&](const LabelValues &values, const Cell &) { out.append(values); });
    return out;
}

void CounterFamily::setMapper(Mapper mapper)
{
    m_mapper = std::move(mapper);
}

void CounterFamily::renderSamples(QByteArray &out) const
{
    std::map<LabelValues, quint64> samples;
    m_cells.forEach([&](const LabelValues &values, const Cell &cell) {
        samples[m_mapper ? m_mapper(values) : values] += cell.value.load(std::memory_order_relaxed);
    });
    for (const auto &[values, count] : samples)
        textformat::appendSample(out, name(), labelNames(), values, QByteArray::number(count));
}

} // namespace ferry::agent::metrics
