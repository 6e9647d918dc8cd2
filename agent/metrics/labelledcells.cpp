#include "agent/metrics/labelledcells.h"

#include <atomic>
#include <unordered_map>

namespace ferry::agent::metrics::detail {

quint64 nextCellsId()
{
    static std::atomic<quint64> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

QHash<LabelValues, void *> &threadCache(quint64 id)
{
    thread_local std::unordered_map<quint64, QHash<LabelValues, void *>> caches;
    return caches[id];
}

} // namespace ferry::agent::metrics::detail
