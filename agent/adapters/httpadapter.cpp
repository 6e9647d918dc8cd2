#include "agent/adapters/httpadapter.h"

#include "agent/adapters/curlmulti.h"

#include <QJsonDocument>

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

HttpRequest HttpAdapter::baseRequest(const SsrfGuard *guard) const
{
    HttpRequest request;
    request.timeoutMs = m_options.timeoutMs;
    request.guard = guard ? guard : m_options.guard;
    return request;
}

void HttpAdapter::start(const QUuid &id, const HttpRequest &request, Finished finished)
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

void HttpAdapter::startAttempt(const QUuid &id, const HttpRequest &request,
                               Outcome (*classify)(const HttpResponse &response))
{
    start(id, request,
          [this, id, classify](const HttpResponse &response) { report(id, classify(response)); });
}

void HttpAdapter::reportLater(const QUuid &id, const Outcome &outcome)
{
    m_decided.append({id, outcome});
}

Outcome httpRefusal(const HttpResponse &response, const QString &provider, const QString &detail)
{
    Outcome r;
    const int status = response.status;
    r.statusCode = status;
    r.error = u"%1 answered HTTP %2: %3"_s.arg(provider).arg(status).arg(
        detail.isEmpty() ? response.excerpt() : detail);
    if (status == 429 || status >= 500) {
        r.kind = Outcome::Kind::Retryable;
        r.reason = status == 429 ? u"rate_limited"_s : u"http_5xx"_s;
        r.retryAfterMs = response.retryAfterMs();
    } else if (status == 401 || status == 403) {
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"auth"_s;
    } else {
        r.kind = Outcome::Kind::Permanent;
        r.reason = u"http_4xx"_s;
    }
    return r;
}

Outcome accepted(const HttpResponse &response, const QString &providerMessageId)
{
    Outcome r;
    r.kind = Outcome::Kind::Delivered;
    r.statusCode = response.status;
    r.providerMessageId = providerMessageId;
    return r;
}

QJsonObject jsonBody(const HttpResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
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
