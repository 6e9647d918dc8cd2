#include "agent/adapters/httpadapter.h"

#include "agent/adapters/curlmulti.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

HttpAdapter::HttpAdapter(CurlMulti &multi, Options options)
    : m_multi(multi)
    , m_options(options)
{}

HttpAdapter::~HttpAdapter()
{
    for (const auto &transfer : std::as_const(m_transfers))
        m_multi.remove(transfer->handle());
}

void HttpAdapter::poll()
{
    const auto decided = std::exchange(m_decided, {});
    for (const auto &[id, outcome] : decided)
        report(id, outcome);
    reportPendingStatus();
}

void HttpAdapter::abandon(const QUuid &deliveryId)
{
    if (const auto transfer = m_transfers.take(deliveryId))
        m_multi.remove(transfer->handle());
    m_decided.removeIf([&](const auto &entry) { return entry.first == deliveryId; });
}

HttpRequest HttpAdapter::baseRequest(const Delivery &delivery) const
{
    HttpRequest request;
    request.timeoutMs = m_options.timeoutMs;
    request.guard = delivery.guard ? delivery.guard : m_options.guard;
    return request;
}

void HttpAdapter::start(const QUuid &id, HttpRequest request, Finished finished)
{
    auto transfer = std::make_shared<HttpTransfer>(request);
    m_transfers.insert(id, transfer);
    m_multi.add(transfer->handle(),
                [this, id, transfer, finished = std::move(finished)](int curlCode) {
                    const HttpResponse response = transfer->response(curlCode);
                    m_transfers.remove(id);
                    finished(response);
                });
}

void HttpAdapter::reportLater(const QUuid &id, const Outcome &outcome)
{
    m_decided.append({id, outcome});
}

Outcome credentialProblem(const QString &provider, const ProviderAccount &account,
                          const QString &what)
{
    Outcome r;
    r.kind = Outcome::Kind::Permanent;
    r.reason = u"credential"_s;
    if (account.name.isEmpty() && account.secret.isEmpty())
        r.error =
            u"the route names no %1 credential; give it one (see docs/channels.md)"_s.arg(provider);
    else
        r.error =
            u"the %1 credential '%2' %3 (see docs/channels.md)"_s.arg(provider, account.name, what);
    return r;
}

} // namespace ferry::agent::adapters
