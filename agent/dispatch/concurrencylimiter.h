#pragma once

#include <QHash>

#include <mutex>

namespace ferry::agent::dispatch {

// Requests in flight per endpoint, shared by all dispatch workers of an agent, so an endpoint's
// cap holds for the agent as a whole.
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

    // Requests in flight per endpoint, for the claim to leave out endpoints at their cap.
    QHash<qint64, int> snapshot()
    {
        std::lock_guard lock(m_mutex);
        return m_active;
    }

private:
    std::mutex m_mutex;
    QHash<qint64, int> m_active;
};

} // namespace ferry::agent::dispatch
