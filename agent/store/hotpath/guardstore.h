#pragma once

#include "agent/guards/breaker.h"
#include "agent/store/pgconnection.h"

#include <QHash>
#include <QList>

namespace ferry::agent::store {

// A route ('endpoint') or a provider account ('account'): what a guard is kept for.
struct GuardKey
{
    QString scope;
    qint64 id = 0;
    friend bool operator==(const GuardKey &, const GuardKey &) = default;
};
inline size_t qHash(const GuardKey &k, size_t seed = 0)
{
    return qHashMulti(seed, k.scope, k.id);
}

// What the guards allow one claim, read under the claim lock (see claimGuarded()).
struct GuardView
{
    QHash<qint64, int> busy;         // leased deliveries per endpoint, all agents together
    QHash<qint64, int> room;         // endpoints the guards hold to fewer than their cap
    QHash<qint64, qint64> accountOf; // endpoint → provider account, for accounts with guards
    QHash<qint64, int> accountRoom;  // what each such account may still take
    bool outOfTokens = false;        // a bucket is empty: more may be due soon
};

// One guard as the API, the metrics and the console show it.
struct GuardStatus
{
    GuardKey key;
    QString name; // the route's target or the account's name
    QString tenant;
    QString channel; // the route's channel, or the account's provider
    QString breaker; // closed | open | half_open
    QDateTime retryAt;
    qint64 openedCount = 0;
    QString lastError;
    double ratePerSecond = 0; // 0: no rate limit
    double tokens = 0;
    qint64 spent = 0; // tokens spent since the bucket was made
    int maxConcurrency = 0;
    int inFlight = 0;
};

// The SQL of the guards at the adapter boundary: token buckets and circuit breakers kept in
// the database, so that they hold for every agent of an installation together.
class GuardStore
{
public:
    explicit GuardStore(PgConnection &db);

    // The claim lock: claims that read and spend guards run one at a time (this transaction).
    Result<void> lockForClaim();
    // Under the lock: refills the buckets, lets open breakers past their cool-down probe, and
    // says what each guarded endpoint may take.
    Result<GuardView> view();
    // Spends a token per claimed delivery and marks half-open breakers as probing until the
    // probe's lease (leaseMs) is over; a probe that has not reported by then is given up.
    Result<void> spend(const QHash<GuardKey, int> &claimed, qint64 leaseMs);
    // Applies outcomes to the breakers; returns the keys whose breaker opened.
    Result<QList<GuardKey>> record(const QHash<GuardKey, guards::BreakerDelta> &deltas,
                                   const guards::BreakerSettings &settings);
    // Every guard that has state or limits, for the API, metrics and the console.
    Result<QList<GuardStatus>> statuses();

private:
    Result<QHash<GuardKey, guards::BreakerState>> lockBreakers(const QList<GuardKey> &keys,
                                                               QDateTime *now);
    PgConnection &m_db;
};

} // namespace ferry::agent::store
