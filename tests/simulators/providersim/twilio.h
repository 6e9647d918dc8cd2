#pragma once

#include "provider.h"

#include <QHash>
#include <QJsonObject>
#include <QQueue>
#include <QUrl>

namespace ferry::sim {

// Twilio's Programmable Messaging API (2010-04-01): send a message, read it back, and the
// signed status callbacks (sent, then delivered, undelivered or failed).
class Twilio final : public Provider
{
public:
    Twilio(quint64 seed, CallbackSender &callbacks);

    // AccountSid → AuthToken. With none, any Basic credentials whose user is the path's sid pass.
    void addAccount(const QString &sid, const QString &token) { m_accounts.insert(sid, token); }
    // Every status callback goes here instead of the request's StatusCallback.
    void setCallbackOverride(const QUrl &url) { m_callbackOverride = url; }

    bool owns(const SimRequest &request) const override;
    std::optional<Answer> authenticate(const SimRequest &request) override;
    Answer handle(const SimRequest &request) override;
    Answer serverError(int status) const override;
    Answer throttled(int retryAfterS) const override;
    void reset() override;

    // Twilio's request signature: base64 HMAC-SHA1 under the auth token of the URL followed by
    // every POST parameter, sorted by name, as name then value.
    static QByteArray signature(const QByteArray &authToken, const QString &url,
                                QList<QPair<QString, QString>> params);

private:
    struct Step
    {
        QString status;
        int errorCode = 0;
    };
    std::optional<Answer> validate(const QList<QPair<QString, QString>> &form);
    Answer create(const QString &accountSid, const SimRequest &request);
    Answer fetch(const QString &accountSid, const QString &messageSid) const;
    void scheduleStatuses(const QString &sid, const QString &callbackUrl);
    void applyStep(const QString &sid, const Step &step, const QString &callbackUrl);
    void sendCallback(const QJsonObject &message, const QString &callbackUrl);
    static Answer error(int status, int code, const QString &message);

    QHash<QString, QString> m_accounts;
    QHash<QString, QString> m_tokensSeen; // the token that last authenticated each sid: signs
    QUrl m_callbackOverride;
    QHash<QString, QJsonObject> m_messages; // sid → the message resource
    QQueue<QString> m_order;                // sids, oldest first
};

} // namespace ferry::sim
