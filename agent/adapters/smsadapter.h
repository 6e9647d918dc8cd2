#pragma once

#include "agent/adapters/httpadapter.h"

namespace ferry::agent::adapters {

// SMS through Twilio's Messages API (or one that speaks it): a form POST per message with HTTP
// Basic authentication, the delivery id as idempotency token, and a StatusCallback to Ferry's
// inbound endpoint when Ferry has a public address. Credential: account_sid, auth_token, and
// from or messaging_service_sid.
class SmsAdapter final : public HttpAdapter
{
public:
    struct Options
    {
        HttpAdapter::Options http;
        QString statusCallbackBase; // Ferry's public inbound URL; empty: no status callbacks
    };
    SmsAdapter(CurlMulti &multi, const Options &options);

    // Twilio's answer to a message, as an outcome: 2xx delivered (sid, price); 429 and 5xx
    // retryable; 401/403 `auth`; Twilio's recipient, sender and content error codes permanent.
    static Outcome classify(const HttpResponse &response);
    // Twilio's answer to a status query.
    static Result<ProviderStatus> parseStatus(const HttpResponse &response);

    QString channel() const override { return QStringLiteral("sms"); }
    void send(const Delivery &delivery) override;
    void queryStatus(const ProviderAccount &account, const QString &providerMessageId,
                     StatusDone done) override;

private:
    static QString accountUrl(const ProviderAccount &account);
    QByteArray form(const Delivery &delivery) const;

    QString m_statusCallbackBase;
};

} // namespace ferry::agent::adapters
