#pragma once

#include "agent/adapters/ssrfguard.h"
#include "shared/result.h"

#include <QElapsedTimer>
#include <QHash>
#include <QString>

#include <map>
#include <memory>
#include <shared_mutex>

namespace ferry::agent::store {
class PgConnection;
}

namespace ferry::agent::adapters {

// Which guard each tenant's deliveries go through: the agent's allow-list
// (webhook.allowed_networks) widened by the tenant's own (tenants.allowed_networks). Built from
// the agent's list; the tenants' lists are read by refresh(), on demand or when
// refreshIfDue() finds the last read older than the refresh interval.
//
// Thread-safe: dispatch workers ask forTenant() while one of them refreshes. A guard it hands
// out lives as long as the policy, so a request in flight keeps a valid guard across refreshes
// (a tenant whose list changed gets a new guard; the old one stays, unused).
class SsrfPolicy
{
public:
    explicit SsrfPolicy(SsrfGuard global, qint64 refreshIntervalMs = 5000);
    ~SsrfPolicy();
    SsrfPolicy(const SsrfPolicy &) = delete;
    SsrfPolicy &operator=(const SsrfPolicy &) = delete;

    // One tenant's guard read now, for a check when something is saved (checkUrlAtSave): the
    // agent's `global` widened by the tenant's own list. An entry that does not parse opens
    // nothing.
    static Result<SsrfGuard> tenantGuard(const SsrfGuard &global, store::PgConnection &db,
                                         qint64 tenantId);

    const SsrfGuard &global() const { return m_global; }
    // The tenant's guard as of the last refresh; the agent's own for a tenant without a list
    // of its own (or one created since).
    const SsrfGuard *forTenant(qint64 tenantId) const;

    // Reads every tenant's list now, on the caller's connection (the caller's thread). A
    // tenant's entry that does not parse is skipped with a warning.
    Result<void> refresh(store::PgConnection &db);
    // refresh() when the last one is older than the refresh interval (or there was none);
    // cheap otherwise: call it from a worker's loop.
    Result<void> refreshIfDue(store::PgConnection &db);

private:
    const SsrfGuard *guardFor(const QStringList &networks); // under the write lock

    const SsrfGuard m_global;
    const qint64 m_refreshIntervalMs;
    mutable std::shared_mutex m_mutex;
    // Every guard ever built, by its tenant networks in normal form: never freed before the
    // policy, so forTenant()'s pointers stay valid.
    std::map<QString, std::unique_ptr<SsrfGuard>> m_guards;
    QHash<qint64, const SsrfGuard *> m_byTenant;
    QElapsedTimer m_sinceRefresh; // invalid: never refreshed
};

} // namespace ferry::agent::adapters
