#pragma once

#include "agent/jobs/execcommand.h"
#include "agent/net/httplimits.h"
#include "agent/store/admin/apitokenstore.h"
#include "shared/masterkey.h"
#include "shared/result.h"

#include <QList>
#include <QString>

#include <memory>

namespace ferry::agent::api {

struct ApiReply;
struct ApiRequest;
// Answers one route's requests that passed authentication and its role and scope checks.
using ApiHandler = ApiReply (*)(const ApiRequest &);

// One route of the TLS API. The table is the single source of truth: the server dispatches
// from it (each entry carries its handler), docs/api.md is checked against it, and the
// authorization test walks it.
struct RouteInfo
{
    enum class Scope {
        Filtered,  // any token; a tenant-scoped token sees only its tenant's rows
        Tenant,    // names one tenant's resource: a foreign one is 404 for scoped tokens
        GlobalOnly // unscoped tokens only (403 for tenant-scoped tokens)
    };
    enum class Upgrade {
        None,
        WebSocket // the route also accepts a WebSocket handshake (the handler answers plain GETs)
    };
    enum class Reads {
        Primary, // reads what it writes, or must be current
        Replica  // heavy reads that may lag a little: database.read_url (ReadReplica)
    };

    // A route cannot be declared without its handler.
    RouteInfo(QByteArray method_, QString path_, store::Role minRole_, Scope scope_,
              QString summary_, ApiHandler handler_, Upgrade upgrade_ = Upgrade::None);
    RouteInfo(QByteArray method_, QString path_, store::Role minRole_, Scope scope_,
              QString summary_, ApiHandler handler_, Reads reads_);

    QByteArray method;
    QString path; // with {tenant}, {id}, {num} and {name} placeholders
    store::Role minRole;
    Scope scope;
    QString summary;
    ApiHandler handler;
    Upgrade upgrade;
    Reads reads = Reads::Primary;
};

// The console API: HTTPS only, JSON, bearer tokens with roles viewer < operator < admin and an
// optional tenant scope. Runs on its own thread with its own database connection; errors are
// RFC 9457 problem+json. Repeated authentication failures from one address are answered 429
// for a minute.
class ApiServer
{
public:
    struct Options
    {
        QString listen = QStringLiteral("0.0.0.0:7643");
        QString certificateFile;
        QString privateKeyFile;
        QString clientCaFile; // set: clients must present a certificate signed by this CA
        QString databaseUrl;
        int connectTimeoutSeconds = 5;
        std::optional<MasterKey> masterKey; // none: the credential routes answer 503
        // webhook.allowed_networks: a target saved through the API is checked against it,
        // widened by its tenant's own allowed_networks.
        QString allowedNetworks;
        net::HttpServerLimits limits = {}; // of the listener (listeners.*, api.max_body_bytes)
        // api.statement_timeout: reads on the API's connection are cancelled after it (503).
        qint64 statementTimeoutMs = 10000;
        jobs::ExecCommands execCommands; // exec.commands_dir: what exec routes may name
        QByteArray agentId; // the agent's id in the registry of agents (GET /v1/agents)
        // database.read_url and database.read_max_lag: where Reads::Replica routes read.
        QString readUrl;
        qint64 readMaxLagMs = 30000;
        // database.partitions: why a tenant of this name must be created in another partition
        // (through its API); empty, or no function: here.
        std::function<QString(const QString &tenant)> misplaced = {};
    };

    static const QList<RouteInfo> &routes();

    explicit ApiServer(Options options);
    ~ApiServer();
    Result<void> start();
    void stop();

private:
    class Thread;
    Options m_options;
    std::unique_ptr<Thread> m_thread;
};

} // namespace ferry::agent::api
