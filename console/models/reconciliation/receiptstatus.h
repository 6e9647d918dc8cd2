#pragma once

#include <QString>

namespace ferry::console {

// The words the agent uses for provider messages and reconciliation runs, in the UI language.
// Words the console does not know are shown as the agent sent them.

// A receipt status (accepted, sent, delivered, read, undelivered, failed, bounced), or a
// provider's own word for one (queued, sending, canceled…).
QString receiptStatusText(const QString &status);
// What a run did about a drift: "moved from sent to delivered", "kept delivered: the provider
// reports an earlier state".
QString reconcileActionText(const QString &action);
// A run's state: waiting, running, finished.
QString runStateText(const QString &state);
// Why a run ran: schedule or request.
QString runTriggerText(const QString &trigger);

} // namespace ferry::console
