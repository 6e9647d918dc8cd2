#include "console/core/apiclient.h"

#include "console/core/apiresponse.h"
#include "console/core/tlspolicy.h"
#include "shared/backoff.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_LOGGING_CATEGORY(lcApi, "ferry.console.api", QtInfoMsg)

namespace ferry::console {

namespace {

constexpr int kHeartbeatMs = 5000;
constexpr const char *kTlsVerdict = "ferryTlsVerdict"; // 1: unpinned, 2: pin mismatch

ApiResponse toResponse(QNetworkReply *reply)
{
    ApiResponse r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.object = QJsonDocument::fromJson(r.body).object();
    if (r.status == 0)
        r.networkError = reply->errorString();
    r.dataSource = reply->rawHeader("Ferry-Data-Source");
    bool ageSaid = false;
    const double age = reply->rawHeader("Ferry-Data-Age").toDouble(&ageSaid);
    r.dataAgeSeconds = ageSaid && age >= 0 ? age : -1;
    return r;
}

} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_heartbeat(new QTimer(this))
    , m_retry(new QTimer(this))
{
    m_nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_heartbeat->setInterval(kHeartbeatMs);
    connect(m_heartbeat, &QTimer::timeout, this, &ApiClient::probe);
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &ApiClient::probe);
}

ApiClient::~ApiClient() = default;

void ApiClient::setProfile(const ConnectionProfile &profile, const QString &token)
{
    disconnectFromAgent();
    m_profile = profile;
    m_urlIndex = 0;
    m_failedInRound = 0;
    m_token = token;
    m_agentVersion.clear();
    Q_EMIT agentVersionChanged({});
}

void ApiClient::connectToAgent()
{
    ++m_generation;
    m_heartbeat->stop();
    m_retry->stop();
    m_attempt = 0;
    m_nam->clearConnectionCache();
    if (!m_profile.isValid()) {
        setState(State::Disconnected,
                 tr("The agent address must be an https:// URL, such as https://agent:7643."));
        return;
    }
    QString error;
    m_ssl = sslConfigurationFor(m_profile, &error);
    if (!error.isEmpty()) {
        setState(State::TlsFailed, error);
        return;
    }
    setState(State::Connecting);
    probe();
}

void ApiClient::disconnectFromAgent()
{
    ++m_generation;
    m_heartbeat->stop();
    m_retry->stop();
    m_nam->clearConnectionCache();
    m_tenantScope.clear();
    if (m_role != Role::Unknown) {
        m_role = Role::Unknown;
        Q_EMIT roleChanged(m_role);
    }
    setState(State::Disconnected);
}

void ApiClient::trustFingerprint(const QString &fingerprint)
{
    m_profile.pin = fingerprint;
    m_pendingFingerprint.clear();
    Q_EMIT pinned(m_profile);
    connectToAgent();
}

void ApiClient::setAgentVersion(const QString &version)
{
    if (version == m_agentVersion)
        return;
    m_agentVersion = version;
    Q_EMIT agentVersionChanged(version);
}

QUrl ApiClient::currentUrl() const
{
    const QList<QUrl> urls = m_profile.urls();
    return urls.value(m_urlIndex, m_profile.url);
}

// The profile's name, with the agent's host:port when the profile has several agents.
QString ApiClient::agentName() const
{
    const QUrl current = currentUrl();
    QString where =
        current.port() > 0 ? u"%1:%2"_s.arg(current.host()).arg(current.port()) : current.host();
    if (m_profile.name.isEmpty())
        return where;
    return m_profile.otherUrls.isEmpty() ? m_profile.name : u"%1 (%2)"_s.arg(m_profile.name, where);
}

QString ApiClient::stateText() const
{
    const QString name = agentName();
    switch (m_state) {
    case State::Disconnected:
        return tr("Not connected");
    case State::Connecting:
        return tr("Connecting to %1…").arg(name);
    case State::Connected:
        return tr("Connected to %1").arg(name);
    case State::Retrying:
        return tr("No answer from %1; trying again in %2 s")
            .arg(name)
            .arg(qMax(0, m_retry->remainingTime() / 1000));
    case State::TrustRequired:
        return tr("Waiting for you to confirm the certificate of %1").arg(name);
    case State::PinMismatch:
        return tr("Refused %1: its certificate key changed").arg(name);
    case State::Unauthorized:
        return tr("Token refused by %1").arg(name);
    case State::TlsFailed:
        return tr("Certificate of %1 not trusted").arg(name);
    }
    return {};
}

QUrl ApiClient::url(const QString &path) const
{
    QUrl u = currentUrl();
    u.setPath(path);
    return u;
}

void ApiClient::setState(State state, const QString &error)
{
    m_lastError = error;
    if (!error.isEmpty())
        qCInfo(lcApi).noquote() << "connection:" << error;
    if (state == m_state && state != State::Retrying)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

// Another agent of the profile, at once, while not every agent failed since one last answered.
bool ApiClient::failOver()
{
    const qsizetype count = m_profile.urls().size();
    if (count < 2)
        return false;
    m_urlIndex = (m_urlIndex + 1) % count;
    m_nam->clearConnectionCache();
    qCInfo(lcApi).noquote() << "failing over to" << currentUrl().toString();
    Q_EMIT agentUrlChanged(currentUrl());
    return ++m_failedInRound < count;
}

void ApiClient::scheduleRetry(const QString &error)
{
    m_heartbeat->stop();
    if (failOver()) {
        m_retry->start(0);
        setState(State::Retrying, error);
        return;
    }
    m_failedInRound = 0;
    ++m_attempt;
    const BackoffPolicy policy{1000ms, 30000ms};
    const auto delay = std::max(std::chrono::milliseconds(1000),
                                policy.delay(std::min(m_attempt, 16), *QRandomGenerator::global()));
    m_retry->start(int(delay.count()));
    setState(State::Retrying, error);
}

QNetworkReply *ApiClient::send(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                               const QByteArray &body, bool withToken)
{
    QUrl u = url(path);
    u.setQuery(query);
    QNetworkRequest request(u);
    request.setSslConfiguration(m_ssl);
    request.setTransferTimeout(15000);
    request.setRawHeader("Accept", "application/json");
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    // Never to an agent whose key the user has not confirmed yet.
    const bool unconfirmed =
        m_profile.trust == ConnectionProfile::Trust::Pinned && m_profile.pin.isEmpty();
    if (withToken && !unconfirmed)
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    QNetworkReply *reply = m_nam->sendCustomRequest(request, verb, body);
    connect(reply, &QNetworkReply::sslErrors, this,
            [this, reply](const QList<QSslError> &errors) { onSslErrors(reply, errors); });
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] { onEncrypted(reply); });
    return reply;
}

void ApiClient::onSslErrors(QNetworkReply *reply, const QList<QSslError> &errors)
{
    if (m_profile.trust != ConnectionProfile::Trust::Pinned) {
        QStringList texts;
        for (const auto &e : errors)
            texts.append(e.errorString());
        reply->setProperty("ferryTlsErrors", texts.join(u"; "_s));
        return; // not ignored: the request fails
    }
    const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
    QString fingerprint;
    switch (pinVerdict(m_profile, peer, errors, &fingerprint)) {
    case PinVerdict::Accepted:
        reply->ignoreSslErrors();
        return;
    case PinVerdict::Unpinned:
        reply->setProperty(kTlsVerdict, 1);
        m_pendingFingerprint = fingerprint;
        m_pendingSubject = peer.subjectDisplayName();
        return;
    case PinVerdict::Mismatch:
        reply->setProperty(kTlsVerdict, 2);
        m_presentedFingerprint = fingerprint;
        return;
    }
}

void ApiClient::onEncrypted(QNetworkReply *reply)
{
    // A second check once the handshake is done (before any request data is sent).
    if (m_profile.trust != ConnectionProfile::Trust::Pinned)
        return;
    const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
    const PinVerdict verdict = checkPin(m_profile, peer);
    if (verdict == PinVerdict::Accepted)
        return;
    reply->setProperty(kTlsVerdict, verdict == PinVerdict::Unpinned ? 1 : 2);
    if (verdict == PinVerdict::Unpinned) {
        m_pendingFingerprint = spkiFingerprint(peer);
        m_pendingSubject = peer.subjectDisplayName();
    } else {
        m_presentedFingerprint = spkiFingerprint(peer);
    }
    reply->abort();
}

void ApiClient::probe()
{
    if (m_state == State::Disconnected)
        return;
    const quint64 generation = m_generation;
    QNetworkReply *reply = send("GET", u"/v1/overview"_s, {}, {}, true);
    connect(reply, &QNetworkReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_generation)
            return;
        const int verdict = reply->property(kTlsVerdict).toInt();
        if (verdict == 1) {
            setState(State::TrustRequired,
                     tr("First connection to %1: confirm its certificate fingerprint %2.")
                         .arg(currentUrl().toString(), m_pendingFingerprint));
            Q_EMIT trustRequired(m_pendingFingerprint, m_pendingSubject);
            return;
        }
        if (verdict == 2) {
            m_heartbeat->stop();
            setState(State::PinMismatch,
                     tr("Refused: the agent at %1 presented a certificate whose key fingerprint is "
                        "%2, but this connection is pinned to %3. Someone may be intercepting the "
                        "connection, or the agent was given a new key. Your token was not sent. "
                        "If the key was changed on purpose, compare the new fingerprint with the "
                        "one 'ferry-agent cert generate' printed on the agent's host, then clear "
                        "the pin in the connection settings and connect again.")
                         .arg(currentUrl().toString(), m_presentedFingerprint, m_profile.pin));
            return;
        }
        const ApiResponse r = toResponse(reply);
        if (r.status == 0) {
            const QString tlsErrors = reply->property("ferryTlsErrors").toString();
            if (!tlsErrors.isEmpty()) {
                m_heartbeat->stop();
                setState(State::TlsFailed,
                         tr("The agent's certificate is not trusted (%1). Choose the CA file "
                            "that signed it, or pin its fingerprint, in the connection settings.")
                             .arg(tlsErrors));
                return;
            }
            scheduleRetry(r.message());
            return;
        }
        m_lastContact = QDateTime::currentDateTimeUtc();
        Q_EMIT contact();
        if (r.status == 401) {
            m_heartbeat->stop();
            setState(State::Unauthorized, r.message());
            return;
        }
        m_attempt = 0;
        m_failedInRound = 0;
        if (!m_heartbeat->isActive())
            m_heartbeat->start();
        if (m_state != State::Connected) {
            setState(State::Connected);
            detectRole();
        }
    });
}

void ApiClient::detectRole()
{
    // GET /v1/whoami names the token's role (and the agent's version, shown before the live
    // feed's first snapshot arrives).
    const quint64 generation = m_generation;
    QNetworkReply *reply = send("GET", u"/v1/whoami"_s, {}, {}, true);
    connect(reply, &QNetworkReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_generation)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        const QString name = o.value("role"_L1).toString();
        Role role = Role::Unknown;
        if (status == 200 && name == "viewer"_L1)
            role = Role::Viewer;
        else if (status == 200 && name == "operator"_L1)
            role = Role::Operator;
        else if (status == 200 && name == "admin"_L1)
            role = Role::Admin;
        if (status == 200)
            m_tenantScope = o.value("tenant"_L1).toString();
        if (status == 200 && !o.value("agent_version"_L1).toString().isEmpty())
            setAgentVersion(o.value("agent_version"_L1).toString());
        if (role != m_role) {
            m_role = role;
            Q_EMIT roleChanged(role);
        }
    });
}

void ApiClient::finish(QNetworkReply *reply, const std::function<void(const ApiResponse &)> &done)
{
    reply->deleteLater();
    ApiResponse r = toResponse(reply);
    const int verdict = reply->property(kTlsVerdict).toInt();
    if (verdict != 0) {
        r.status = 0;
        r.networkError = tr("the agent's certificate does not match the pinned fingerprint");
    }
    if (r.status != 0) {
        m_lastContact = QDateTime::currentDateTimeUtc();
        Q_EMIT contact();
        if (r.status == 401)
            setState(State::Unauthorized, r.message());
    } else if (m_state == State::Connected && verdict == 0) {
        scheduleRetry(r.message());
    }
    done(r);
}

void ApiClient::get(const QString &path, const QUrlQuery &query, QObject *ctx, Callback done)
{
    deliver(send("GET", path, query, {}, true), ctx, std::move(done));
}

void ApiClient::post(const QString &path, const QJsonObject &body, QObject *ctx, Callback done)
{
    deliver(send("POST", path, {}, QJsonDocument(body).toJson(QJsonDocument::Compact), true), ctx,
            std::move(done));
}

void ApiClient::put(const QString &path, const QJsonObject &body, QObject *ctx, Callback done)
{
    deliver(send("PUT", path, {}, QJsonDocument(body).toJson(QJsonDocument::Compact), true), ctx,
            std::move(done));
}

void ApiClient::patch(const QString &path, const QJsonObject &body, QObject *ctx, Callback done)
{
    deliver(send("PATCH", path, {}, QJsonDocument(body).toJson(QJsonDocument::Compact), true), ctx,
            std::move(done));
}

void ApiClient::remove(const QString &path, const QUrlQuery &query, QObject *ctx, Callback done)
{
    deliver(send("DELETE", path, query, {}, true), ctx, std::move(done));
}

void ApiClient::deliver(QNetworkReply *reply, QObject *ctx, Callback done)
{
    const QPointer<QObject> guard(ctx);
    const bool hasCtx = ctx != nullptr;
    connect(reply, &QNetworkReply::finished, this, [=, this] {
        finish(reply, [&](const ApiResponse &r) {
            if (!hasCtx || guard)
                done(r);
        });
    });
}

} // namespace ferry::console
