#pragma once

#include <QString>
#include <QStringList>

namespace ferry::console {

// The words of deliveries, in the UI language: the codes the agent's API sends (GET
// /v1/deliveries, /v1/dlq, /v1/reports/deliveries) as the screens and the PDF report show them.
// A code the console does not know is shown as the agent sent it. Machine-readable output (the
// CSV report, filters sent to the API) keeps the codes.

// The delivery states, in the order a delivery goes through them.
QStringList deliveryStates();
// A delivery's state: queued, pending, in_flight, retry_wait, succeeded, dead, discarded.
QString deliveryStateText(const QString &state);
// What became of one attempt: succeeded, retryable, permanent, gone, unknown, lease_expired,
// released, cancelled.
QString attemptOutcomeText(const QString &outcome);
// Why a delivery is dead: timeout, connect, dns, tls, http_4xx, http_5xx, redirect, …
QString deadReasonText(const QString &reason);
// A dead delivery's triage status: new, investigating, resolved.
QString triageStatusText(const QString &status);

} // namespace ferry::console
