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

    // Starts `request` for delivery `id` (or for a side task: a fresh id), with the adapter's
    // timeout and the delivery's guard (else the adapter's) unless the request sets its own.
    // `finished` runs from CurlMulti::perform() when it is done, unless abandoned first.
    void start(const QUuid &id, HttpRequest request, Finished finished);
    // Reports `outcome` for delivery `id` from the next poll() (never from inside send()).
    void reportLater(const QUuid &id, const Outcome &outcome);
    // The request as every attempt of this adapter starts it.
    HttpRequest baseRequest(const Delivery &delivery) const;
    bool inFlight(const QUuid &id) const { return m_transfers.contains(id); }
    const Options &options() const { return m_options; }

private:
    CurlMulti &m_multi;
    Options m_options;
    QHash<QUuid, std::shared_ptr<HttpTransfer>> m_transfers;
    QList<QPair<QUuid, Outcome>> m_decided;
};

// The outcome of a request that could not be made because the route's `provider` account is
// missing or lacks what it needs (`what`: "has no auth_token", …).
Outcome credentialProblem(const QString &provider, const ProviderAccount &account,
                          const QString &what);

} // namespace ferry::agent::adapters
