#pragma once

#include "agent/net/httprequest.h"
#include "agent/store/inbound/connectorstore.h"
#include "shared/result.h"

#include <QJsonObject>

namespace ferry::agent::inbound {

// A request whose signature holds: what it is deduplicated by.
struct InboundAccepted
{
    QString dedupeKey;       // "id:<provider event id>" or "sha256:<hex of the body>"
    QString providerEventId; // empty when the provider names none
};

// Why a request is refused (401 for a signature that does not hold, 400 for a malformed one).
struct InboundRefusal
{
    int status = 401;
    QString slug;
    QString detail;
};

// Checks a request against its connector's kind and secrets, over the raw bytes received.
// `calledUrl` is the URL as the provider called it (Twilio signs it).
Result<InboundAccepted, InboundRefusal> checkRequest(const store::InboundConnector &connector,
                                                     const net::HttpRequest &request,
                                                     const QByteArray &calledUrl,
                                                     qint64 nowSeconds);

// The URL as the provider called it: the connector's `public_url` (a reverse proxy's address)
// followed by the path and query, or the scheme, Host header and target received.
QByteArray calledUrl(const QJsonObject &settings, const net::HttpRequest &request, bool tls);

// The settings a connector of `kind` may have; the error names the field and what it takes.
Result<void> checkSettings(const QString &kind, const QJsonObject &settings);

} // namespace ferry::agent::inbound
