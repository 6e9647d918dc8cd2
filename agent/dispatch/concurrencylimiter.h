#pragma once

#include <QHash>

#include <mutex>

namespace ferry::agent::dispatch {

// Requests in flight per endpoint, shared by all dispatch workers of an agent: the launch gate
// between one agent's workers. The installation-wide caps are counted by the claim itself
// (leased deliveries of every agent, decision 0023).
class ConcurrencyLimiter
{
public:
    bool tryAcquire(qint64 endpointId, int cap)
    {
        std::lock_guard lock(m_mutex);
        int &n = m_active[endpointId];
        if (n >= cap)
            return false;
        ++n;
        return true;
    }
    void release(qint64 endpointId)
    {
        std::lock_guard lock(m_mutex);
        auto it = m_active.find(endpointId);
        if (it != m_active.end() && --it.value() <= 0)
            m_active.erase(it);
    }

private:
    std::mutex m_mutex;
    QHash<qint64, int> m_active;
};

} // namespace ferry::agent::dispatch
