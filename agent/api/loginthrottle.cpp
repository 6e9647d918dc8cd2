#include "agent/api/loginthrottle.h"

namespace ferry::agent::api {

LoginThrottle::LoginThrottle(int maxFailures, qint64 windowMs, qsizetype capacity)
    : m_maxFailures(maxFailures)
    , m_windowMs(windowMs)
    , m_capacity(std::max<qsizetype>(1, capacity))
{}

bool LoginThrottle::throttled(const QString &address)
{
    const auto it = m_entries.find(address);
    if (it == m_entries.end())
        return false;
    if (expired(*it.value())) {
        m_order.erase(it.value());
        m_entries.erase(it);
        return false;
    }
    return it.value()->failures >= m_maxFailures;
}

void LoginThrottle::recordFailure(const QString &address)
{
    auto it = m_entries.find(address);
    if (it == m_entries.end()) {
        makeRoom();
        m_order.push_front({address, 0, {}});
        it = m_entries.insert(address, m_order.begin());
    } else {
        m_order.splice(m_order.begin(), m_order, it.value()); // most recent first
    }
    Entry &entry = *it.value();
    if (!entry.since.isValid() || expired(entry)) {
        entry.failures = 0;
        entry.since.start();
    }
    ++entry.failures;
}

// Before a new address is tracked: drop expired entries from the least recent end, then, when
// still full, the least recently failing address.
void LoginThrottle::makeRoom()
{
    while (!m_order.empty() &&
           (qsizetype(m_order.size()) >= m_capacity || expired(m_order.back()))) {
        m_entries.remove(m_order.back().address);
        m_order.pop_back();
    }
}

} // namespace ferry::agent::api
