// The API's request parsing without a database: the input is a query string, a '\n', then a
// JSON body. The query goes through ApiRequest's readers (limit, page cursor, unknown
// parameters, times) and the parameter parsers of apijson; the body through the route fields
// (POST and PATCH /v1/routes) and the dead-letter filter. Invariants: every accepted value is in
// its documented range; a delivery cursor reads back to its position; a route the body made
// is, written as the API shows it (Route::toJson), accepted again and gives the same route.

#include "agent/api/apijson.h"
#include "agent/api/apirequest.h"
#include "agent/api/apiserver.h"
#include "agent/api/resources/routefields.h"
#include "agent/net/httprequest.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QJsonDocument>
#include <QUrlQuery>

#include <cstddef>
#include <cstdint>
#include <netdb.h>

using namespace ferry::agent;
using namespace Qt::StringLiterals;

// Target URLs are checked against DNS when a route is saved (adapters::checkUrlAtSave): here no
// name resolves, so that the harness needs no network and stays fast. A name that does not
// resolve is accepted there, and the guard checks again at connect time.
extern "C" int getaddrinfo(const char *, const char *, const struct addrinfo *, struct addrinfo **)
{
    return EAI_NONAME;
}

namespace {

api::ApiReply noHandler(const api::ApiRequest &)
{
    return api::ApiReply::noContent();
}

void checkQueryValue(const QString &text)
{
    if (const auto limit = api::apijson::limitFrom(text))
        FUZZ_CHECK(*limit >= 1 && *limit <= 1000);
    FUZZ_CHECK(api::apijson::windowSeconds(text) >= 0);
    const QDateTime t = api::apijson::timeParameter(text);
    FUZZ_CHECK(!t.isValid() || t.timeSpec() != Qt::LocalTime);
    if (const auto at = api::apijson::deliveryPosition(text)) {
        const auto again = api::apijson::deliveryPosition(api::apijson::deliveryCursor(*at));
        FUZZ_CHECK(again && *again == *at);
    }
}

void checkQuery(const QByteArray &query)
{
    static const api::RouteInfo route("GET", u"/v1/fuzz"_s, store::Role::Viewer,
                                      api::RouteInfo::Scope::Filtered, u"fuzz"_s, &noHandler);
    net::HttpRequest http;
    http.target = "/v1/fuzz?" + query;
    http.url = QUrl::fromEncoded(http.target);
    const store::ApiPrincipal who;
    const QRegularExpressionMatch match;
    const QJsonObject body;
    store::PgConnection db; // never opened: these readers do not touch the database
    const std::optional<ferry::MasterKey> key;
    static const auto guard = adapters::SsrfGuard::parse({});
    static const QByteArray agentId = "fuzz";
    static const std::function<void()> tokensRevoked = [] {};
    static const std::function<QString(const QString &)> misplaced;
    const api::ApiRequest request{route, http,   who,     match,   body,          db,
                                  key,   *guard, nullptr, agentId, tokensRevoked, misplaced};
    if (const auto limit = request.limit(); limit.ok())
        FUZZ_CHECK(*limit >= 1 && *limit <= 1000);
    if (const auto page = request.page(u"r:"_s); page.ok())
        FUZZ_CHECK(page->limit >= 1 && page->limit <= 1000);
    (void)request.onlyParameters({u"limit"_s, u"cursor"_s, u"since"_s});
    const auto values = request.queryValues();
    QDateTime since, until;
    if (!api::readTimes(values, {{u"since"_s, &since}, {u"until"_s, &until}}, u"x"_s))
        FUZZ_CHECK((!values.contains(u"since"_s) || since.isValid()) &&
                   (!values.contains(u"until"_s) || until.isValid()));
    for (auto it = values.constBegin(); it != values.constEnd(); ++it)
        checkQueryValue(it.value());
}

void checkRoute(const store::Route &r)
{
    FUZZ_CHECK(r.maxAttempts >= 0 && r.maxAttempts <= 1000);
    FUZZ_CHECK(r.concurrency >= 0 && r.concurrency <= 10000);
    FUZZ_CHECK(r.ratePerSecond >= 0 && r.ratePerSecond <= 1'000'000);
    FUZZ_CHECK(r.maxAgeSeconds >= 0 && r.maxAgeSeconds <= 365LL * 86400);
    FUZZ_CHECK(r.eventTypes.size() <= 100);
    FUZZ_CHECK(r.onBlock == "block"_L1 || r.onBlock == "skip"_L1);
}

void checkBody(const QJsonObject &body, bool creating)
{
    static const auto guard = adapters::SsrfGuard::parse({});
    store::Route route;
    if (api::routes::applyRouteFields(body, route, creating, *guard, nullptr))
        return;
    checkRoute(route);
    if (route.target.isEmpty())
        return; // a PATCH body on a blank route: no stored route lacks a target
    QJsonObject shown = route.toJson();
    shown.remove(u"id"_s);
    store::Route again;
    FUZZ_CHECK(!api::routes::applyRouteFields(shown, again, true, *guard, nullptr));
    FUZZ_CHECK(again.toJson() == route.toJson());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nl = input.indexOf('\n');
    checkQuery(nl < 0 ? input : input.first(nl));
    if (nl < 0)
        return 0;
    const QJsonDocument doc = QJsonDocument::fromJson(input.sliced(nl + 1));
    if (!doc.isObject())
        return 0;
    const QJsonObject body = doc.object();
    const auto filter = api::apijson::filterFrom(body);
    (void)filter;
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        if (const auto n = api::apijson::wholeNumber(it.value(), 1, 1000))
            FUZZ_CHECK(*n >= 1 && *n <= 1000);
    }
    checkBody(body, size % 2 == 0);
    return 0;
}
