#pragma once

#include "agent/store/pgconnection.h"
#include "demo/providers.h"
#include "shared/masterkey.h"

#include <QHash>
#include <QString>

#include <functional>

namespace ferry::demo {

// The worked example of a workflow (docs/workflows.md): a billing tenant of its own whose
// "dunning" workflow answers invoice.payment_failed with an email now, an SMS after a grace
// period unless invoice.paid arrived meanwhile, and an entitlement downgrade webhook to the
// demo's receiver. Some customers pay during the grace period: their instances are cancelled
// before the SMS. Everything goes through the agent (its store to set up, its HTTP ingest for
// the events).
class DunningExample
{
public:
    struct Outcome
    {
        QString tenant;
        int customers = 0;
        QHash<QString, int> states; // instance state → how many
    };
    // Runs `ferry-agent` with the arguments and returns what it printed.
    using AgentCommand = std::function<Result<QString>(const QStringList &)>;
    using StopReason = std::function<QString()>;

    DunningExample(agent::store::PgConnection &db, quint16 httpPort)
        : m_db(db)
        , m_httpPort(httpPort)
    {}

    // The tenant, its provider accounts, templates and routes, and the workflow. The downgrade
    // webhook is signed with the receiver's secret (a webhook credential).
    Result<void> prepare(const AgentCommand &agent, const Providers &providers,
                         const MasterKey &key, const QString &receiverUrl,
                         const QString &receiverSecret);
    // Sends the failed payments (and some payments), and waits until every instance is done.
    Result<Outcome> run(const StopReason &stop);

private:
    Result<void> putAccounts(const Providers &providers, const MasterKey &key,
                             const QString &receiverSecret);
    Result<void> putRoutes(const QString &receiverUrl);
    Result<void> putWorkflow();
    Result<void> publish(const QString &id, const QString &type, int customer);
    Result<QHash<QString, int>> states();

    agent::store::PgConnection &m_db;
    quint16 m_httpPort = 0;
    QString m_tenant;
    QString m_token;
    qint64 m_tenantId = 0;
};

} // namespace ferry::demo
