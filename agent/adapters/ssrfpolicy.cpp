#include "agent/adapters/ssrfpolicy.h"

#include "agent/app/logging.h"
#include "agent/store/admin/tenantstore.h"

#include <mutex>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

SsrfPolicy::SsrfPolicy(SsrfGuard global, qint64 refreshIntervalMs)
    : m_global(std::move(global))
    , m_refreshIntervalMs(refreshIntervalMs)
{}

SsrfPolicy::~SsrfPolicy() = default;

Result<SsrfGuard> SsrfPolicy::tenantGuard(const SsrfGuard &global, store::PgConnection &db,
                                          qint64 tenantId)
{
    auto own = store::TenantStore(db).allowedNetworks(tenantId);
    if (!own)
        return own.error();
    auto networks = SsrfGuard::parseNetworks(*own);
    return networks ? global.widenedBy(*networks) : global;
}

const SsrfGuard *SsrfPolicy::forTenant(qint64 tenantId) const
{
    std::shared_lock lock(m_mutex);
    return m_byTenant.value(tenantId, &m_global);
}

const SsrfGuard *SsrfPolicy::guardFor(const QStringList &networks)
{
    const QString key = networks.join(u',');
    auto &slot = m_guards[key];
    if (!slot) {
        QList<SsrfGuard::Network> parsed;
        for (const QString &cidr : networks) {
            auto net = SsrfGuard::parseNetwork(cidr);
            if (net)
                parsed.append(*net);
            else
                qCWarning(lcAdapters).noquote()
                    << "a tenant's allowed_networks entry is skipped:" << net.error().message;
        }
        slot = std::make_unique<SsrfGuard>(m_global.widenedBy(parsed));
    }
    return slot.get();
}

Result<void> SsrfPolicy::refresh(store::PgConnection &db)
{
    auto lists = store::TenantStore(db).allAllowedNetworks();
    if (!lists)
        return lists.error();
    std::unique_lock lock(m_mutex);
    m_byTenant.clear();
    for (auto it = lists->constBegin(); it != lists->constEnd(); ++it) {
        QStringList networks = it.value();
        networks.sort();
        m_byTenant.insert(it.key(), guardFor(networks));
    }
    m_sinceRefresh.start();
    return {};
}

Result<void> SsrfPolicy::refreshIfDue(store::PgConnection &db)
{
    {
        std::shared_lock lock(m_mutex);
        if (m_sinceRefresh.isValid() && !m_sinceRefresh.hasExpired(m_refreshIntervalMs))
            return {};
    }
    return refresh(db);
}

} // namespace ferry::agent::adapters
