#pragma once

#include "agent/adapters/httpadapter.h"

namespace ferry::agent::adapters {

// WhatsApp through Meta's Cloud API: a JSON POST per message with a bearer token, a text
// message or, when the template set `options.template`, a template message. Credential:
// access_token, phone_number_id, optionally api_version (default v21.0).
class WhatsAppAdapter final : public HttpAdapter
{
public:
    using Options = HttpAdapter::Options;
    WhatsAppAdapter(CurlMulti &multi, Options options);

    // The request body Meta expects for `message`: text, or template with its body parameters.
    static QByteArray requestBody(const Message &message);
    // Meta's answer as an outcome: 2xx delivered (the wamid); token errors `auth`; undeliverable,
    // outside the customer-service window and invalid parameters permanent; rate limits and
    // Meta's transient errors retryable.
    static Outcome classify(const HttpResponse &response);

    QString channel() const override { return QStringLiteral("whatsapp"); }
    void send(const Delivery &delivery) override;
};

} // namespace ferry::agent::adapters
