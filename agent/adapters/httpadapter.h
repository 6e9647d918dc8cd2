#pragma once

#include "agent/adapters/adapter.h"
#include "agent/adapters/httptransfer.h"

#include <QHash>
#include <QList>
#include <QPair>

#include <functional>
#include <memory>

namespace ferry::agent::adapters {

class CurlMulti;

// The common part of the adapters whose attempts are HTTP requests on the thread's libcurl multi
// handle (webhook, SMS, WhatsApp, push): it owns the transfers in flight, forgets abandoned ones,
// and reports outcomes decided before any request was made from the next poll().
class HttpAdapter : public Adapter
{
public:
    struct Options
    {
        qint64 timeoutMs = 15'000;
        const SsrfGuard *guard = nullptr; // null: every address is allowed
    };

    HttpAdapter(CurlMulti &multi, Options options);
    ~HttpAdapter() override;

    void poll() override;
    void abandon(const QUuid &deliveryId) override;

protected:
    using Finished = std::function<void(const HttpResponse &response)>;

    // Starts `request` for delivery `id` (or for a side task: a fresh id). `finished` runs from
    // CurlMulti::perform() when it is done, unless abandoned first.
    void start(const QUuid &id, const HttpRequest &request, Finished finished);
    // Starts the attempt of delivery `id`; its outcome is `classify` of the response.
    void startAttempt(const QUuid &id, const HttpRequest &request,
                      Outcome (*classify)(const HttpResponse &response));
    // Reports `outcome` for delivery `id` from the next poll() (never from inside send()).
    void reportLater(const QUuid &id, const Outcome &outcome);
    // The request as every request of this adapter starts: its timeout, and `guard` (a
    // delivery's) or else the adapter's guard.
    HttpRequest baseRequest(const SsrfGuard *guard) const;
    bool inFlight(const QUuid &id) const { return m_transfers.contains(id); }
    const Options &options() const { return m_options; }

private:
    CurlMulti &m_multi;
    Options m_options;
    QHash<QUuid, std::shared_ptr<HttpTransfer>> m_transfers;
    QList<QPair<QUuid, Outcome>> m_decided;
};

// A provider's refusal (a non-2xx answer) by its HTTP status alone: 429 and 5xx retryable
// (honouring Retry-After), 401 and 403 permanent `auth`, other statuses permanent `http_4xx`.
// `error` is "<provider> answered HTTP <status>: <detail>". Adapters refine the reason from the
// provider's own error codes.
Outcome httpRefusal(const HttpResponse &response, const QString &provider, const QString &detail);

// The outcome of a request the provider took, under its id for the message.
Outcome accepted(const HttpResponse &response, const QString &providerMessageId);

// The response body as a JSON object (empty when it is not one).
QJsonObject jsonBody(const HttpResponse &response);

// The outcome of a request that could not be made because the route's `provider` account is
// missing or lacks what it needs (`what`: "has no auth_token", …).
Outcome credentialProblem(const QString &provider, const ProviderAccount &account,
                          const QString &what);

} // namespace ferry::agent::adapters
