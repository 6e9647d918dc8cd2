#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QString>

#include <list>

namespace ferry::agent::api {

// The API's failed-login throttle: an address that failed `maxFailures` times within `window`
// milliseconds is throttled until the window has passed since its first failure. Memory is
// bounded: at most `capacity` addresses are tracked; entries whose window passed are dropped
// first, then the least recently failing ones. An attacker with many addresses can only push
// out other addresses' counts, never grow the table.
class LoginThrottle
{
public:
    static constexpr qsizetype kDefaultCapacity = 10000;

    explicit LoginThrottle(int maxFailures = 10, qint64 windowMs = 60000,
                           qsizetype capacity = kDefaultCapacity);

    bool throttled(const QString &address);
    void recordFailure(const QString &address);
    // Addresses tracked now (never more than the capacity).
    qsizetype size() const { return m_entries.size(); }

private:
    struct Entry
    {
        QString address;
        int failures = 0;
        QElapsedTimer since; // the window's start
    };
    using Order = std::list<Entry>; // most recently failing first

    bool expired(const Entry &e) const { return e.since.elapsed() > m_windowMs; }
    void makeRoom();

    int m_maxFailures;
    qint64 m_windowMs;
    qsizetype m_capacity;
    Order m_order;
    QHash<QString, Order::iterator> m_entries;
};

} // namespace ferry::agent::api
