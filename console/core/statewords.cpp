#include "console/core/statewords.h"

#include <QCoreApplication>
#include <QHash>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The texts are looked up when called: the UI language may be installed after start-up.
QString lookUp(const QHash<QString, const char *> &texts, const QString &code)
{
    const auto it = texts.constFind(code);
    return it == texts.constEnd() ? code
                                  : QCoreApplication::translate("ferry::console::StateWords", *it);
}

} // namespace

QStringList deliveryStates()
{
    return {u"queued"_s,    u"pending"_s, u"in_flight"_s, u"retry_wait"_s,
            u"succeeded"_s, u"dead"_s,    u"discarded"_s};
}

QString deliveryStateText(const QString &state)
{
    static const QHash<QString, const char *> texts = {
        {u"queued"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "queued")},
        {u"pending"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "pending")},
        {u"in_flight"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "in flight")},
        {u"retry_wait"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "waiting to retry")},
        {u"succeeded"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "succeeded")},
        {u"dead"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "dead")},
        {u"discarded"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "discarded")}};
    return lookUp(texts, state);
}

QString attemptOutcomeText(const QString &outcome)
{
    static const QHash<QString, const char *> texts = {
        {u"succeeded"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "succeeded")},
        {u"retryable"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "failed, retryable")},
        {u"permanent"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "failed for good")},
        {u"gone"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "receiver gone")},
        {u"unknown"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "no answer")},
        {u"lease_expired"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "lease expired")},
        {u"released"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "released at agent stop")},
        {u"cancelled"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "cancelled")}};
    return lookUp(texts, outcome);
}

QString deadReasonText(const QString &reason)
{
    // The codes of the adapters and the dispatcher (docs/operations.md, "The dead-letter queue").
    static const QHash<QString, const char *> texts = {
        {u"timeout"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "timed out")},
        {u"connect"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "could not connect")},
        {u"dns"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "host name not found")},
        {u"tls"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "TLS failed")},
        {u"no_response"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "no response")},
        {u"http_4xx"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "refused (HTTP 4xx)")},
        {u"http_5xx"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "server error (HTTP 5xx)")},
        {u"redirect"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "redirected (HTTP 3xx)")},
        {u"rate_limited"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "rate limited")},
        {u"endpoint_gone"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "endpoint gone (HTTP 410)")},
        {u"endpoint_disabled"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "endpoint disabled")},
        {u"lease_expired"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "lease expired")},
        {u"max_age"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "too old to retry")},
        {u"permanent"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "refused for good")},
        {u"auth"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "authentication failed")},
        {u"credential"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "credential missing or unusable")},
        {u"ssrf_blocked"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "address not allowed")},
        {u"invalid_recipient"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "invalid recipient")},
        {u"invalid_sender"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "invalid sender")},
        {u"invalid_message"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "invalid message")},
        {u"invalid_token"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "invalid device token")},
        {u"token_unavailable"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "access token unavailable")},
        {u"invalid_template"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "invalid template")},
        {u"invalid_parameter"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "invalid parameter")},
        {u"outside_service_window"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "outside the service window")},
        {u"provider_error"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "provider error")},
        {u"exit_code"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "command failed")},
        {u"exec_start"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "command did not start")},
        {u"exec_command"_s,
         QT_TRANSLATE_NOOP("ferry::console::StateWords", "command not configured")},
        {u"cancelled"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "cancelled")}};
    return lookUp(texts, reason);
}

QString triageStatusText(const QString &status)
{
    static const QHash<QString, const char *> texts = {
        {u"new"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "new")},
        {u"investigating"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "investigating")},
        {u"resolved"_s, QT_TRANSLATE_NOOP("ferry::console::StateWords", "resolved")}};
    return lookUp(texts, status);
}

} // namespace ferry::console
