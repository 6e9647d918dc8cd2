#pragma once

#include "agent/adapters/ssrfguard.h"
#include "agent/store/admin/apitokenstore.h"
#include "agent/store/pgconnection.h"
#include "shared/masterkey.h"
#include "shared/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpressionMatch>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <functional>
#include <initializer_list>
#include <optional>
#include <utility>

namespace ferry::agent::jobs {
class ExecCommands;
}

namespace ferry::agent::net {
struct HttpRequest;
}

namespace ferry::agent::api {

struct RouteInfo;

// An answer of the API: JSON, problem+json (RFC 9457, by the status) or another content type.
struct ApiReply
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = {}; // empty: JSON, or problem+json from status 400 on
    QList<QPair<QByteArray, QByteArray>> headers = {}; // more response headers

    static ApiReply json(const QJsonValue &value, int status = 200);
    static ApiReply noContent() { return {204, {}}; }
    // A problem+json answer through ferry::Problem.
    static ApiReply problem(int status, const QString &slug, const QString &title,
                            const QString &detail);
    static ApiReply notFound(const QString &detail = QStringLiteral("no such resource"));
    static ApiReply badParameter(const QString &detail);
    // 422 naming the offending field (RFC 9457 extension member `field`).
    static ApiReply invalidField(const QString &field, const QString &detail);
};

// Paging of a list: `limit` 1–1000 (default 100) and an opaque `cursor`.
struct Page
{
    int limit = 100;
    QString position; // decoded cursor, empty at the start
};

// Reads the ISO 8601 times named in `targets` from the query values `p` (those present); 400
// naming the first that is not such a time, such as `example`.
std::optional<ApiReply> readTimes(const QHash<QString, QString> &p,
                                  std::initializer_list<std::pair<QString, QDateTime *>> targets,
                                  const QString &example);

// A request that passed authentication and the route's role and scope checks, with what a
// handler needs to answer it: the caller, path parameters, query, body and the API's database.
struct ApiRequest
{
    const RouteInfo &route;
    const net::HttpRequest &http;
    const store::ApiPrincipal &who;
    const QRegularExpressionMatch &match; // path parameters: {tenant}, {id}, {num}, {name},
                                          // {channel}, {eventType}, {version}
    const QJsonObject &body;              // empty unless POST, PUT or PATCH sent one
    store::PgConnection &db;
    const std::optional<MasterKey> &masterKey; // none: the credential routes answer 503
    const adapters::SsrfGuard &ssrfGuard;      // the agent's (webhook.allowed_networks)
    const jobs::ExecCommands *execCommands;    // the commands exec routes may name
    const QByteArray &agentId;                 // the agent that answers (its registry row's id)
    // After a token was revoked: this agent's live feeds drop it now, not at their next check.
    const std::function<void()> &tokensRevoked;
    // database.partitions: why a new tenant of this name belongs elsewhere; null: no partitions.
    const std::function<QString(const QString &tenant)> &misplaced;

    QString pathParameter(const QString &name) const { return match.captured(name); }
    QString queryValue(const QString &name) const;
    bool hasQueryValue(const QString &name) const;
    // The query, decoded, one value per name (the last one wins).
    QHash<QString, QString> queryValues() const;
    QByteArray header(const QByteArray &name) const;
    // How the audit log names the caller.
    QString actor() const;
    // A target URL as this caller may see it: whole for admins, otherwise without user info
    // and query values (ferry::redactedUrl()).
    QString shownUrl(const QString &url) const;
    // A resource of one tenant: foreign ones do not exist for a scoped token.
    bool visible(qint64 tenantId) const;

    // The id of the tenant named by {tenant}; 404 when it is none the caller may see.
    Result<qint64, ApiReply> visibleTenant() const;
    // The guard a tenant's targets are checked with when saved (adapters::checkUrlAtSave): the
    // agent's allow-list widened by the tenant's own; 503 when the database fails.
    Result<adapters::SsrfGuard, ApiReply> tenantGuard(qint64 tenantId) const;
    // Nothing when the delivery {id} is visible to the caller; otherwise its 404 (or 503).
    std::optional<ApiReply> hiddenDelivery(const QUuid &id) const;

    // A failed read: 503, and a lost connection is closed for the next request to reopen.
    ApiReply storeError(const Error &e) const;
    // A failed write: the store's 4xx codes map to problems; otherwise as storeError().
    ApiReply writeError(const Error &e) const;
    // 503 for a database error, without PostgreSQL's text: a plain message and the `ref` under
    // which the agent logged it (store::publicError()).
    ApiReply databaseProblem(const Error &e) const;
    // The `limit` query value: 1–1000, `fallback` when absent; 400 saying so for any other.
    Result<int, ApiReply> limit(int fallback = 100) const;
    // The page a list request asks for, by cursors of `prefix`; 400 for a bad limit, 422 for a
    // bad cursor.
    Result<Page, ApiReply> page(const QString &prefix) const;
    // 400 for a query parameter this route does not accept.
    std::optional<ApiReply> onlyParameters(const QStringList &known) const;
};

} // namespace ferry::agent::api
