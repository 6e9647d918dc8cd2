#pragma once

#include "agent/store/pgconnection.h"
#include "demo/channelreport.h"
#include "demo/childprocess.h"
#include "demo/eventsender.h"
#include "demo/jobsexample.h"
#include "demo/options.h"
#include "demo/providers.h"
#include "demo/receiverstats.h"

#include <QDateTime>
#include <QHash>
#include <QProcessEnvironment>

namespace ferry::demo {

// One run of the demo: prepares the database, starts the receiver and the agent, sends the
// events, waits for their deliveries and prints the summary. The numbers come from the agent's
// store (agent/store), read through its own connection.
class Demo
{
public:
    explicit Demo(Options options)
        : m_options(std::move(options))
    {}
    // The exit code: 0 when every event arrived exactly once, 1 when not, 130 on Ctrl-C.
    int run();

private:
    Result<QStringList> runSteps();
    int fail(const Error &error);
    Result<QString> agentCommand(const QStringList &arguments);
    Result<void> prepare();
    Result<void> createTenant();
    Result<void> addEndpoint();
    Result<void> prepareApi();
    Result<void> openDatabase();
    Result<void> startReceiver();
    Result<void> startProviders();
    Result<void> useMasterKey();
    Result<void> writeJobCommand();
    Result<void> addChannelRoutes();
    Result<void> runDunning();
    Result<void> runJobs();
    Result<ChannelReport> channelReport(const agent::store::ReportStore::Outcome &all);
    void stopChildren();
    Result<void> startAgent();
    QProcessEnvironment agentRunEnvironment();
    Result<void> sendEvents();
    void printSent() const;
    Result<void> waitForDeliveries();
    Result<QHash<QString, qint64>> deliveriesByState();
    Result<QStringList> summarize();
    Result<qint64> openDeliveries(bool ofThisTenant);
    void keepRunning();
    void printApiAccess();
    void openConsole();
    void warnAboutLeftovers();
    QString stopReason();
    QProcessEnvironment agentEnvironment() const;

    Options m_options;
    QString m_tenant, m_token, m_secret, m_logDir;
    QString m_apiCert, m_apiKey, m_apiPin, m_apiToken; // the TLS API: certificate, admin token
    ChildProcess m_receiver{QStringLiteral("ferry-webhook-receiver")};
    ChildProcess m_agent{QStringLiteral("ferry-agent")};
    Providers m_providers{m_options};
    QString m_masterKeyFile;           // seals the provider credentials of the message routes
    QHash<QString, qint64> m_routeIds; // the message route of each channel
    JobsExample::Folders m_jobFolders; // the jobs example's command, runs and reports
    agent::store::PgConnection m_db;
    qint64 m_tenantId = 0;
    EventSender::Counts m_sent;
    // What the workflow example sent, left out of the shipping notices' counts.
    QHash<QString, qint64> m_messageBaseline;
    ReceiverStats m_receiverBaseline;
    QDateTime m_sendStarted; // the last acknowledgement came m_sent.elapsedMs after this
    bool m_timedOut = false;
};

} // namespace ferry::demo
