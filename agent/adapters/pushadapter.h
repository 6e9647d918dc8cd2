#pragma once

#include "agent/adapters/fcmauth.h"
#include "agent/adapters/httpadapter.h"

#include <QHash>
#include <QList>

#include <functional>

namespace ferry::agent::adapters {

// Push notifications through FCM HTTP v1. The credential is a Google service account; its access
// token is fetched on the same multi handle (FcmAuth), cached per account, refreshed ahead of
// expiry, and fetched again once when FCM answers 401. Sends for an account wait while its token
// request is in flight. A dead device token (UNREGISTERED, an invalid token) is permanent with
// reason `invalid_token`.
class PushAdapter final : public HttpAdapter
{
public:
    struct Options
    {
        HttpAdapter::Options http;
        std::function<qint64()> clockMs; // for token expiry; null: the wall clock
    };
    PushAdapter(CurlMulti &multi, Options options);

    // FCM's message for `message`: token, notification {title, body}, data (values as strings),
    // and the android, apns, webpush and fcm_options objects when the template set them.
    static QByteArray requestBody(const Message &message);
    // FCM's answer as an outcome (a 401 here is final: the adapter refreshes its token first).
    static Outcome classify(const HttpResponse &response);

    QString channel() const override { return QStringLiteral("push"); }
    void send(const Delivery &delivery) override;
    void abandon(const QUuid &deliveryId) override;

private:
    struct Attempt
    {
        Delivery delivery;
        FcmAuth::ServiceAccount account;
        QByteArray key; // which cached token it uses
        bool refreshedToken = false;
    };
    struct Token
    {
        QByteArray accessToken;
        qint64 usableUntilMs = 0;
        qint64 refreshAtMs = 0;
        bool requesting = false;
        QList<QUuid> waiting;
    };

    qint64 now() const;
    void use(const QUuid &id);
    void requestToken(Attempt attempt);
    void onToken(const QByteArray &key, const Result<FcmAuth::AccessToken> &answer);
    void sendWith(const Attempt &attempt, const QByteArray &accessToken);
    void onSent(const QUuid &id, const QByteArray &accessToken, const HttpResponse &response);
    void finish(const QUuid &id, const Outcome &outcome, bool later);

    std::function<qint64()> m_clockMs;
    QHash<QUuid, Attempt> m_attempts; // waiting for a token or in flight
    QHash<QByteArray, Token> m_tokens;
};

} // namespace ferry::agent::adapters
