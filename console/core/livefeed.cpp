#include "console/core/livefeed.h"

#include "console/core/apiclient.h"
#include "console/core/tlspolicy.h"
#include "shared/backoff.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

Q_LOGGING_CATEGORY(lcLive, "ferry.console.live", QtInfoMsg)

namespace ferry::console {

LiveFeed::LiveFeed(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_reconnect(new QTimer(this))
{
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, &LiveFeed::open);
    connect(m_socket, &QWebSocket::sslErrors, this, &LiveFeed::onSslErrors);
    connect(m_socket, &QWebSocket::connected, this, [this] {
        // A second check once the handshake is done, as the API's requests get.
        QString fingerprint;
        if (pinVerdict({}, &fingerprint) == PinVerdict::Mismatch)
            return refuse(fingerprint);
        m_attempt = 0;
        setStatus(tr("Live feed connected"));
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        if (o.value("type"_L1).toString() != "snapshot"_L1)
            return;
        m_last = QDateTime::currentDateTimeUtc();
        const QString version = o.value("agent"_L1).toObject().value("version"_L1).toString();
        if (!version.isEmpty())
            m_client->setAgentVersion(version);
        Q_EMIT snapshot(o);
    });
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                qCDebug(lcLive).noquote() << "live feed error:" << m_socket->errorString();
                if (m_error.isEmpty()) // the first error says most (the handshake's status)
                    m_error = m_socket->errorString();
            });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        const QString error = std::exchange(m_error, QString());
        if (std::exchange(m_refused, false))
            return; // the refusal stays shown; no retry until the connection is made again
        if (m_socket->closeCode() == QWebSocketProtocol::CloseCodePolicyViolated)
            setStatus(tr("Live feed refused the token (close code 1008)"));
        else if (error.contains("404"_L1))
            setStatus(tr("This agent has no live feed (GET /v1/live): update the agent to see the "
                         "live charts. The other screens work."));
        else if (!error.isEmpty())
            setStatus(tr("Live feed unavailable: %1").arg(error));
        scheduleReconnect();
    });
    connect(m_client, &ApiClient::stateChanged, this, [this](ApiClient::State state) {
        if (state == ApiClient::State::Connected) {
            if (!m_wanted) {
                m_wanted = true;
                m_attempt = 0;
                open();
            }
        } else if (state != ApiClient::State::Retrying) {
            close();
        }
    });
}

LiveFeed::~LiveFeed()
{
    m_wanted = false;
    m_socket->abort();
}

bool LiveFeed::isOpen() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState;
}

void LiveFeed::setStatus(const QString &status)
{
    if (status == m_status)
        return;
    qCInfo(lcLive).noquote() << status;
    m_status = status;
    Q_EMIT statusChanged(status);
}

PinVerdict LiveFeed::pinVerdict(const QList<QSslError> &errors, QString *fingerprint) const
{
    const ConnectionProfile &profile = m_client->profile();
    if (profile.trust != ConnectionProfile::Trust::Pinned)
        return PinVerdict::Accepted; // the CA check of the TLS layer decides
    const QSslCertificate peer = m_socket->sslConfiguration().peerCertificate();
    if (peer.isNull() && errors.isEmpty())
        return PinVerdict::Accepted; // nothing to check (yet): the handshake's errors decided
    return console::pinVerdict(profile, peer, errors, fingerprint);
}

// Under a pinned profile the handshake always reports errors (no CA is trusted): ignored only
// when the agent presents the pinned key, exactly as for the API's requests.
void LiveFeed::onSslErrors(const QList<QSslError> &errors)
{
    if (m_client->profile().trust != ConnectionProfile::Trust::Pinned)
        return; // not ignored: the connection fails and says why
    QString fingerprint;
    if (pinVerdict(errors, &fingerprint) == PinVerdict::Accepted)
        m_socket->ignoreSslErrors();
    else
        refuse(fingerprint);
}

void LiveFeed::refuse(const QString &fingerprint)
{
    m_refused = true;
    m_wanted = false;
    m_reconnect->stop();
    m_socket->abort();
    setStatus(tr("Live feed refused: the agent presented a certificate whose key fingerprint is "
                 "%1, but this connection is pinned to %2. The token was not sent.")
                  .arg(fingerprint, m_client->profile().pin));
}

void LiveFeed::open()
{
    if (!m_wanted || m_socket->state() != QAbstractSocket::UnconnectedState)
        return;
    QUrl url = m_client->url(u"/v1/live"_s);
    url.setScheme(u"wss"_s);
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + m_client->token().toUtf8());
    m_socket->setSslConfiguration(m_client->sslConfiguration());
    setStatus(tr("Connecting to the live feed…"));
    m_socket->open(request);
}

void LiveFeed::close()
{
    m_wanted = false;
    m_reconnect->stop();
    m_socket->abort();
    setStatus(tr("Live feed closed"));
}

void LiveFeed::scheduleReconnect()
{
    if (!m_wanted)
        return;
    ++m_attempt;
    const BackoffPolicy policy{1000ms, 60000ms};
    const auto delay = std::max(std::chrono::milliseconds(1000),
                                policy.delay(std::min(m_attempt, 16), *QRandomGenerator::global()));
    m_reconnect->start(int(delay.count()));
}

} // namespace ferry::console
