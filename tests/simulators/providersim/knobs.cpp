#include "knobs.h"

using namespace Qt::StringLiterals;

namespace ferry::sim {

const QList<KnobInfo> &knobTable()
{
    static const QList<KnobInfo> table{
        {"latency_ms", &Knobs::latencyMs, 0, 600000, "Answer every request this many ms late."},
        {"error_rate", &Knobs::errorRate, 0, 1,
         "Share of requests answered error_status with the provider's error body."},
        {"error_status", &Knobs::errorStatus, 500, 599, "Status of simulated server errors."},
        {"throttle_rate", &Knobs::throttleRate, 0, 1,
         "Share of requests answered 429 with the provider's throttling error."},
        {"retry_after_s", &Knobs::retryAfterS, 0, 86400, "Retry-After sent with 429 answers."},
        {"timeout_rate", &Knobs::timeoutRate, 0, 1,
         "Share of requests never answered (the connection stays open)."},
        {"reset_rate", &Knobs::resetRate, 0, 1,
         "Share of requests whose connection is reset before any processing."},
        {"lose_response_rate", &Knobs::loseResponseRate, 0, 1,
         "Share of requests processed, then closed without an answer (unknown outcome)."},
        {"duplicate_callbacks", &Knobs::duplicateCallbacks, 0, 1,
         "Share of status callbacks sent twice."},
        {"drop_callbacks", &Knobs::dropCallbacks, 0, 1,
         "Share of status changes whose callback is never sent (the status still changes)."},
        {"reorder_callbacks", &Knobs::reorderCallbacks, 0, 1,
         "Share of messages whose status callbacks are sent last first."},
        {"callback_delay_ms", &Knobs::callbackDelayMs, 0, 600000,
         "Delay before each status change (and its callback) of an accepted message."},
        {"token_lifetime_s", &Knobs::tokenLifetimeS, 1, 86400,
         "FCM: expires_in of new OAuth2 access tokens."},
    };
    return table;
}

Result<bool> Knobs::apply(const QJsonObject &json)
{
    Knobs next = *this;
    for (auto it = json.constBegin(); it != json.constEnd(); ++it) {
        if (it.key() == "provider"_L1)
            continue;
        const auto &table = knobTable();
        const auto info = std::find_if(table.cbegin(), table.cend(), [&](const KnobInfo &k) {
            return it.key() == QLatin1StringView(k.name);
        });
        if (info == table.cend())
            return makeError(u"unknown knob '%1'"_s.arg(it.key()));
        const QJsonValue v = it.value();
        const double value = v.isBool() ? (v.toBool() ? 1.0 : 0.0) : v.toDouble(-1e300);
        if (!(v.isBool() || v.isDouble()) || value < info->min || value > info->max)
            return makeError(
                u"knob '%1' must be a number from %2 to %3"_s.arg(it.key()).arg(info->min).arg(
                    info->max));
        next.*(info->field) = value;
    }
    *this = next;
    return true;
}

QJsonObject Knobs::toJson() const
{
    QJsonObject json;
    for (const KnobInfo &k : knobTable())
        json.insert(QLatin1StringView(k.name), this->*(k.field));
    return json;
}

} // namespace ferry::sim
