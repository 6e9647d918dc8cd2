#pragma once

#include "console/core/connectionprofile.h"
#include "console/core/role.h"

#include <QDateTime>
#include <QObject>
#include <QSslConfiguration>

#include <functional>

class QJsonObject;
class QNetworkAccessManager;
class QNetworkReply;
class QSslError;
class QTimer;
class QUrlQuery;

namespace ferry::console {

struct ApiResponse;

// The agent's TLS API over QNetworkAccessManager: the profile's trust policy (system CAs, a CA
// file, or a pinned SPKI fingerprint with trust on first use), a heartbeat, automatic
// reconnection with backoff, and the token's role.
class ApiClient final : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Disconnected,
        Connecting,
        Connected,
        Retrying,      // no answer; tries again after a backoff
        TrustRequired, // first contact with a pinned profile: the user must confirm the key
        PinMismatch,   // the agent presented another key than the pinned one: refused
        Unauthorized,  // the token was refused
        TlsFailed      // the certificate did not verify (system CAs or CA file)
    };
    Q_ENUM(State)
    using Callback = std::function<void(const ApiResponse &)>;

    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setProfile(const ConnectionProfile &profile, const QString &token);
    const ConnectionProfile &profile() const { return m_profile; }
    // The agent of the profile the client talks to now: the profile's url, or after a failover
    // one of its otherUrls.
    QUrl currentUrl() const;
    QString token() const { return m_token; }

    void connectToAgent();
    void disconnectFromAgent();
    // The user confirmed the fingerprint shown for TrustRequired: pin it and connect.
    void trustFingerprint(const QString &fingerprint);

    State state() const { return m_state; }
    QString stateText() const;
    QString lastError() const { return m_lastError; }
    QString pendingFingerprint() const { return m_pendingFingerprint; }
    QString pendingSubject() const { return m_pendingSubject; }
    Role role() const { return m_role; }
    // The tenant the token is scoped to (GET /v1/whoami), empty for a token of every tenant.
    QString tenantScope() const { return m_tenantScope; }
    QString agentVersion() const { return m_agentVersion; }
    void setAgentVersion(const QString &version);
    QDateTime lastContact() const { return m_lastContact; }

    // Requests (with the token). ctx: the callback is dropped if ctx is gone.
    void get(const QString &path, const QUrlQuery &query, QObject *ctx, Callback done);
    void post(const QString &path, const QJsonObject &body, QObject *ctx, Callback done);
    void put(const QString &path, const QJsonObject &body, QObject *ctx, Callback done);
    void patch(const QString &path, const QJsonObject &body, QObject *ctx, Callback done);
    void remove(const QString &path, const QUrlQuery &query, QObject *ctx, Callback done);

    // For other connections to the same agent (the live feed's WebSocket).
    QUrl url(const QString &path) const;
    // (Its pin check: pinVerdict() of tlspolicy.h with profile(), as the requests use it.)
    QSslConfiguration sslConfiguration() const { return m_ssl; }

Q_SIGNALS:
    void stateChanged(ferry::console::ApiClient::State state);
    void trustRequired(const QString &fingerprint, const QString &subject);
    void pinned(const ferry::console::ConnectionProfile &profile);
    void roleChanged(ferry::console::Role role);
    void agentVersionChanged(const QString &version);
    void agentUrlChanged(const QUrl &url); // failed over to another agent of the profile
    void contact();                        // any answer from the agent

private:
    QNetworkReply *send(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                        const QByteArray &body, bool withToken);
    void probe();
    void detectRole();
    void setState(State state, const QString &error = {});
    void scheduleRetry(const QString &error);
    bool failOver();
    QString agentName() const;
    void deliver(QNetworkReply *reply, QObject *ctx, Callback done);
    void finish(QNetworkReply *reply, const std::function<void(const ApiResponse &)> &done);
    void onSslErrors(QNetworkReply *reply, const QList<QSslError> &errors);
    void onEncrypted(QNetworkReply *reply);

    QNetworkAccessManager *m_nam;
    QTimer *m_heartbeat;
    QTimer *m_retry;
    ConnectionProfile m_profile;
    QString m_token;
    QSslConfiguration m_ssl;
    State m_state = State::Disconnected;
    QString m_lastError;
    QString m_pendingFingerprint;
    QString m_pendingSubject;
    QString m_presentedFingerprint;
    Role m_role = Role::Unknown;
    QString m_tenantScope;
    QString m_agentVersion;
    QDateTime m_lastContact;
    int m_attempt = 0;
    qsizetype m_urlIndex = 0;      // into m_profile.urls()
    qsizetype m_failedInRound = 0; // agents that did not answer since the last that did
    quint64 m_generation = 0;
};

} // namespace ferry::console
