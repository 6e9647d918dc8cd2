#pragma once

#include "shared/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <bitset>

namespace ferry::agent::schedule {

// When a schedule fires: a five-field cron expression (minute hour day-of-month month
// day-of-week, with lists, ranges, steps and month/day names), one of the names @yearly
// (@annually), @monthly, @weekly, @daily (@midnight), @hourly, or an interval "@every 30s"
// ("@every 1h30m"; units ms, s, m, h, d).
//
// Cron expressions are read in the schedule's time zone, on its wall clock:
// - a wall time that does not exist (the hour skipped when clocks go forward) fires at the
//   transition, once, however many slots fall into the gap;
// - a wall time that exists twice (the hour repeated when clocks go back) fires once, at its
//   first occurrence.
// When both day-of-month and day-of-week are restricted, a day matching either fires; a field
// starting with '*' (such as "*/2") does not count as restricted (both as in Vixie cron). Intervals
// are absolute: slots are the multiples of the interval since the Unix epoch, whatever the zone.
class CronSpec
{
public:
    // Errors name the field, the value and what the field accepts.
    static Result<CronSpec> parse(const QString &expression);

    // The first slot strictly after `after`, in UTC; invalid when there is none within the
    // next five years (such as "0 0 30 2 *"), and for a cron expression in an invalid zone.
    QDateTime nextAfter(const QDateTime &after, const QTimeZone &zone) const;
    // The next `count` slots after `after`.
    QList<QDateTime> upcoming(const QDateTime &after, const QTimeZone &zone, int count) const;

    const QString &expression() const { return m_expression; }
    bool isInterval() const { return m_intervalMs > 0; }
    qint64 intervalMs() const { return m_intervalMs; }

private:
    // A minute on the zone's wall clock. `hour` may run to 24 and `minute` to 60 on the way
    // (the start of the next day or hour).
    struct Civil
    {
        QDate date;
        int hour = 0;
        int minute = 0;
    };

    Result<void> setFields(const QStringList &fields);
    QDateTime nextCron(const QDateTime &after, const QTimeZone &zone) const;
    bool nextMatch(Civil &at, const QDate &limit) const;
    bool matchesDay(const QDate &date) const;

    QString m_expression;
    qint64 m_intervalMs = 0;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_daysOfMonth; // 1..31
    std::bitset<13> m_months;      // 1..12
    std::bitset<7> m_daysOfWeek;   // 0 = Sunday
    bool m_anyDayOfMonth = true;   // the field was "*" (or "?")
    bool m_anyDayOfWeek = true;
};

// What a schedule does about slots that passed while no agent could fire them.
enum class CatchUp {
    Skip, // fire none of them; go on with the next slot
    Once, // fire one event, for the latest of them
    All,  // fire each of them, the newest `limit` at most, oldest first
};

Result<CatchUp> parseCatchUp(const QString &text); // "skip" | "once" | "all"
QString catchUpName(CatchUp policy);

// The slots a schedule fires now, and the next one after them.
struct Firing
{
    QList<QDateTime> slots; // oldest first; empty: none due, or all skipped
    qint64 missed = 0;      // slots older than the misfire threshold (fired or not)
    QDateTime next;         // the first slot after `now`; invalid: the schedule never fires again
};

// Decides what fires at `now` for a schedule whose first unfired slot is `firstDue`. A slot at
// most `misfireThresholdMs` old is on time and always fires; older slots are missed and go by
// `policy` (`limit` for All). Looks at no more than 100000 slots.
Firing slotsToFire(const CronSpec &spec, const QTimeZone &zone, const QDateTime &firstDue,
                   const QDateTime &now, CatchUp policy, int limit, qint64 misfireThresholdMs);

} // namespace ferry::agent::schedule
