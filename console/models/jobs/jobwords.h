#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace ferry::console {

// The words and zone times of the schedules and jobs page, in the UI language. Words the console
// does not know are shown as the agent sent them.

// The job states, in the agent's order.
QStringList jobStates();
// A job's state: running, succeeded, failed, retrying, timed_out, cancelled, lost.
QString jobStateText(const QString &state);
// A running job whose cancellation was requested: the agent is stopping it.
QString jobStoppingText();
// A schedule's state: "active" or "paused".
QString scheduleStateText(bool paused);
// What a schedule does about slots missed while no agent could fire them: skip, once, all (the
// newest `limit` at most).
QString catchUpText(const QString &policy, int limit);

// A time on the clock of an IANA zone ("Europe/Berlin"), as the tables show times
// (localDateTimeText in console/core/uiformat.h); UTC when the zone is unknown, "—" when invalid.
QString zoneTimeText(const QDateTime &t, const QString &zone);

} // namespace ferry::console
