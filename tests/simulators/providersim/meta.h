#pragma once

#include "provider.h"

#include <QJsonObject>
#include <QSet>
#include <QUrl>

namespace ferry::sim {

// Meta's WhatsApp Cloud API: send a text or template message, and the signed status webhooks
// (sent, delivered, read, or failed) to the configured callback.
class Meta final : public Provider
{
public:
    Meta(quint64 seed, CallbackSender &callbacks);

    // Access tokens that pass; with none, any bearer token does.
    void addToken(const QByteArray &token) { m_tokens.insert(token); }
    void setAppSecret(const QByteArray &secret) { m_appSecret = secret; }
    void setCallback(const QUrl &url) { m_callback = url; }
    void setBusinessAccountId(const QString &id) { m_wabaId = id; }

    bool owns(const SimRequest &request) const override;
    std::optional<Answer> authenticate(const SimRequest &request) override;
    Answer handle(const SimRequest &request) override;
    Answer serverError(int status) const override;
    Answer throttled(int retryAfterS) const override;

    // `sha256=` and the hex HMAC-SHA256 of the body under the app secret (X-Hub-Signature-256).
    static QByteArray signature(const QByteArray &appSecret, const QByteArray &body);

private:
    struct Sent
    {
        QString id;
        QString waId;
        QString phoneNumberId;
        QString category;
    };
    Answer error(int status, int code, const QString &message, const QString &details = {}) const;
    std::optional<Answer> validate(const QJsonObject &body);
    // The refusals some test numbers get (tests/simulators/README.md).
    std::optional<Answer> refuseRecipient(const QString &waId, bool isText);
    void scheduleStatuses(const Sent &sent);
    void sendStatus(const Sent &sent, const QString &status, int errorCode);
    QJsonObject statusObject(const Sent &sent, const QString &status, int errorCode) const;

    QSet<QByteArray> m_tokens;
    QByteArray m_appSecret;
    QUrl m_callback;
    QString m_wabaId = QStringLiteral("102290129340398");
};

} // namespace ferry::sim
