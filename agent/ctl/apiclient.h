#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

namespace ferry::ctl {

// Where ferryctl finds an agent's TLS API and how it trusts it; kept by `ferryctl login` in a
// file only the user can read.
struct ApiProfile
{
    QString url;      // https://host:7643
    QByteArray token; // API token
    QString pin;      // sha256/<base64 SPKI hash>, as `ferry-agent cert generate` prints
    QString caFile;   // or a CA file; neither: the system's CAs
    QString path;     // where it was read from or goes to

    // $FERRYCTL_CONFIG, else $XDG_CONFIG_HOME/ferry/ferryctl.json (~/.config/…).
    static QString defaultPath();
    // The saved profile, overridden by FERRY_API_URL / FERRY_API_TOKEN when set.
    static Result<ApiProfile> load();
    // Written with mode 0600 (created so, never widened), atomically.
    Result<void> save() const;
};

struct ApiReply
{
    int status = 0; // 0: no HTTP answer (see error)
    QByteArray body;
    QByteArray contentType;
    QString error;           // transport or TLS failure, said for a person
    QString peerFingerprint; // the server's SPKI pin, when the TLS handshake got that far

    bool ok() const { return status >= 200 && status < 300; }
    QJsonValue json() const;
    // "403 Forbidden: this needs the admin role…" from a problem+json answer.
    QString problemText() const;
};

// One HTTPS request with libcurl: TLS 1.2+, the pin or CA of the profile, the bearer token.
ApiReply apiCall(const ApiProfile &profile, const QByteArray &method, const QString &pathAndQuery,
                 const QByteArray &body = {}, const QByteArray &accept = "application/json");

// The server's SPKI fingerprint, fetched without verification (to show it, never to trust it).
Result<QString> fetchFingerprint(const QString &url);

} // namespace ferry::ctl
