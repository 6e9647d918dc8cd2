#pragma once

#include "agent/metrics/metricfamily.h"

#include <QHash>

#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace ferry::agent::metrics {

namespace detail {
// A fresh id per LabelledCells, so that a thread's cache never confuses a destroyed family
// with a new one at the same address.
quint64 nextCellsId();
// The calling thread's cache of cells for one LabelledCells (by id).
QHash<LabelValues, void *> &threadCache(quint64 id);
} // namespace detail

// The cells (one per label set) of a metric family. Looking a cell up is lock-free on the hot
// path: each thread keeps its own cache of label set → cell, and only the first use of a label
// set on a thread takes the family's mutex. Cells are never removed, so their addresses stay
// valid; at most `maxCells` label sets are kept, further ones share one cell whose labels are
// all "_overflow" (a guard against unbounded label values).
template <typename Cell> class LabelledCells
{
public:
    using Factory = std::function<std::unique_ptr<Cell>()>;

    LabelledCells(qsizetype labelCount, Factory factory, qsizetype maxCells = 10000)
        : m_id(detail::nextCellsId())
        , m_labelCount(labelCount)
        , m_factory(std::move(factory))
        , m_maxCells(maxCells)
    {}

    Cell &at(const LabelValues &values)
    {
        auto &cache = detail::threadCache(m_id);
        if (const auto it = cache.constFind(values); it != cache.constEnd())
            return *static_cast<Cell *>(it.value());
        // Stored keys own their bytes: callers may pass QByteArray::fromRawData views.
        LabelValues owned = values;
        for (QByteArray &v : owned)
            v.detach();
        Cell *cell = nullptr;
        bool overflow = false;
        {
            std::lock_guard lock(m_mutex);
            LabelValues key = owned;
            key.resize(m_labelCount);
            auto it = m_cells.find(key);
            if (it == m_cells.end() && qsizetype(m_cells.size()) >= m_maxCells) {
                key = LabelValues(m_labelCount, QByteArrayLiteral("_overflow"));
                overflow = true;
                it = m_cells.find(key);
            }
            if (it == m_cells.end())
                it = m_cells.emplace(std::move(key), m_factory()).first;
            cell = it->second.get();
        }
        // Label sets past the cap are not cached, so they cannot grow a thread's cache either.
        if (!overflow)
            cache.insert(owned, cell);
        return *cell;
    }

    // The cell of a label set if it exists (tests, reads), without creating it.
    const Cell *find(const LabelValues &values) const
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_cells.find(values);
        return it == m_cells.end() ? nullptr : it->second.get();
    }

    // Calls f(labelValues, cell) for every cell, in label order, under the family's mutex.
    template <typename F> void forEach(F &&f) const
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[values, cell] : m_cells)
            f(values, *cell);
    }

private:
    quint64 m_id;
    qsizetype m_labelCount;
    Factory m_factory;
    qsizetype m_maxCells;
    mutable std::mutex m_mutex;
    std::map<LabelValues, std::unique_ptr<Cell>> m_cells;
};

} // namespace ferry::agent::metrics
