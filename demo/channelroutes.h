#pragma once

#include "agent/store/pgconnection.h"
#include "demo/providers.h"
#include "shared/masterkey.h"

namespace ferry::demo {

// The demo tenant's message routes: for email, sms, whatsapp and push, a provider account (a
// credential sealed with the master key), a template and a route that sends every
// `eventType` event to the customer the event names. Written through the agent's store.
class ChannelRoutes
{
public:
    static const QStringList &channels();
    // The name of the provider account the demo's route of `channel` sends through.
    static QString credentialName(const QString &channel)
    {
        return QStringLiteral("demo-") + channel;
    }

    ChannelRoutes(agent::store::PgConnection &db, qint64 tenantId, QString tenant)
        : m_db(db)
        , m_tenantId(tenantId)
        , m_tenant(std::move(tenant))
    {}

    // Returns the id of each channel's route.
    Result<QHash<QString, qint64>> create(const Providers &providers, const MasterKey &key,
                                          const QString &eventType);

private:
    Result<void> putCredential(const QString &channel, const ProviderAccount &account,
                               const MasterKey &key);
    Result<void> putTemplate(const QString &channel);
    Result<qint64> addRoute(const QString &channel, const QString &eventType);

    agent::store::PgConnection &m_db;
    qint64 m_tenantId = 0;
    QString m_tenant;
};

} // namespace ferry::demo
