#include "agent/schedule/cron.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <span>

using namespace Qt::StringLiterals;

namespace ferry::agent::schedule {

namespace {

constexpr qint64 kMsPerSecond = 1000;
constexpr qint64 kMsPerMinute = 60 * kMsPerSecond;
constexpr qint64 kMsPerHour = 60 * kMsPerMinute;
constexpr qint64 kMsPerDay = 24 * kMsPerHour;
constexpr qint64 kMinIntervalMs = kMsPerSecond;
constexpr qint64 kMaxIntervalMs = 366 * kMsPerDay;
constexpr int kSearchYears = 5;
constexpr qint64 kMaxSlots = 100'000;

using Bits = std::bitset<64>;

constexpr const char16_t *kMonthNames[] = {u"jan", u"feb", u"mar", u"apr", u"may", u"jun",
                                           u"jul", u"aug", u"sep", u"oct", u"nov", u"dec"};
constexpr const char16_t *kDayNames[] = {u"sun", u"mon", u"tue", u"wed", u"thu", u"fri", u"sat"};

// One of the five fields of a cron expression.
struct Field
{
    const char16_t *name;
    const char16_t *allowed;
    std::span<const char16_t *const> names; // names for min, min + 1, …
    int number;                             // its place in the expression, from 1
    int min;
    int max;       // the highest value one may write (7 for day of week: Sunday again)
    int top;       // the highest value "*" stands for
    int steps;     // how many values the field has: the longest step
    bool question; // "?" may stand for "*"
};

const Field kFields[] = {
    {u"minute", u"values run from 0 to 59", {}, 1, 0, 59, 59, 60, false},
    {u"hour", u"values run from 0 to 23", {}, 2, 0, 23, 23, 24, false},
    {u"day of month", u"values run from 1 to 31", {}, 3, 1, 31, 31, 31, true},
    {u"month", u"values run from 1 to 12, or jan to dec", kMonthNames, 4, 1, 12, 12, 12, false},
    {u"day of week", u"values run from 0 to 7 (0 and 7 are Sunday), or sun to sat", kDayNames, 5, 0,
     7, 6, 7, true},
};

struct NamedSchedule
{
    const char16_t *name;
    const char16_t *fields;
};

const NamedSchedule kNamedSchedules[] = {
    {u"@yearly", u"0 0 1 1 *"}, {u"@annually", u"0 0 1 1 *"}, {u"@monthly", u"0 0 1 * *"},
    {u"@weekly", u"0 0 * * 0"}, {u"@daily", u"0 0 * * *"},    {u"@midnight", u"0 0 * * *"},
    {u"@hourly", u"0 * * * *"},
};

const auto kDurationHelp = u"such as 30s, 5m, 1h30m or 500ms (units ms, s, m, h, d)"_s;

bool isDigits(QStringView text)
{
    return !text.isEmpty() &&
           std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

Error fieldError(const Field &field, QStringView text, const QString &detail)
{
    return makeError(u"cron field %1 (%2) \"%3\": %4"_s.arg(
        QString::number(field.number), QString::fromUtf16(field.name), text.toString(), detail));
}

// A number or one of the field's names; nullopt when it is neither. A number too long to
// read comes back as one out of range.
std::optional<int> parseValue(QStringView text, const Field &field)
{
    if (isDigits(text))
        return text.size() > 6 ? std::numeric_limits<int>::max() : text.toInt();
    for (std::size_t i = 0; i < field.names.size(); ++i) {
        if (text.compare(QStringView(field.names[i]), Qt::CaseInsensitive) == 0)
            return field.min + static_cast<int>(i);
    }
    return std::nullopt;
}

// The value at `text`, checked against the field's range.
Result<int> boundedValue(QStringView text, const Field &field)
{
    const auto value = parseValue(text, field);
    if (!value) {
        return fieldError(field, text,
                          u"not a value; %1, with * for every value, lists (1,5), ranges (1-5) "
                          "and steps (*/2)"_s.arg(QString::fromUtf16(field.allowed)));
    }
    if (*value < field.min || *value > field.max)
        return fieldError(field, text, QString::fromUtf16(field.allowed));
    return *value;
}

// The first and last value of a "*", "a", "a-b" (or, with a step, "a" up to the top).
Result<std::pair<int, int>> parseRange(QStringView text, const Field &field, bool stepped)
{
    if (text == u"*" || (field.question && text == u"?"))
        return std::pair{field.min, field.top};
    if (text == u"?") {
        return fieldError(field, text, u"? is only for day of month and day of week; use * here"_s);
    }
    const qsizetype dash = text.indexOf(u'-');
    const auto low = boundedValue(dash < 0 ? text : text.left(dash), field);
    if (!low)
        return low.error();
    if (dash < 0)
        return std::pair{*low, stepped ? std::max(*low, field.top) : *low};
    const auto high = boundedValue(text.mid(dash + 1), field);
    if (!high)
        return high.error();
    if (*low > high.value()) {
        return fieldError(field, text,
                          u"a range runs from low to high, such as 1-5; write one that wraps "
                          "around as two, such as 22-23,0-2"_s);
    }
    return std::pair{*low, *high};
}

// Sets the values of one list entry: a range with an optional step.
Result<void> parseEntry(QStringView entry, const Field &field, Bits &bits)
{
    const qsizetype slash = entry.indexOf(u'/');
    int step = 1;
    if (slash >= 0) {
        const QStringView stepText = entry.mid(slash + 1);
        step = isDigits(stepText) && stepText.size() <= 3 ? stepText.toInt() : 0;
        if (step < 1 || step > field.steps) {
            return fieldError(
                field, entry,
                u"a step is a whole number from 1 to %1, as in */2"_s.arg(field.steps));
        }
    }
    const auto range = parseRange(slash < 0 ? entry : entry.left(slash), field, slash >= 0);
    if (!range)
        return range.error();
    for (int value = range->first; value <= range->second; value += step)
        bits.set(static_cast<std::size_t>(value));
    return {};
}

Result<Bits> parseField(const QString &text, const Field &field)
{
    Bits bits;
    for (const QStringView entry : QStringView(text).split(u',')) {
        if (entry.isEmpty()) {
            return fieldError(field, text,
                              u"an empty entry in a list; separate values with single commas, "
                              "as in 1,15"_s);
        }
        if (auto r = parseEntry(entry, field, bits); !r)
            return r.error();
    }
    if (field.max == 7 && bits.test(7)) { // Sunday, as 7
        bits.reset(7);
        bits.set(0);
    }
    return bits;
}

// The fields a name such as @daily stands for.
Result<QStringList> namedFields(const QStringList &words)
{
    for (const auto &named : kNamedSchedules) {
        if (words.first().compare(QStringView(named.name), Qt::CaseInsensitive) != 0)
            continue;
        if (words.size() > 1) {
            return makeError(u"%1 takes nothing after it; \"%2\" is not part of it"_s.arg(
                words.first(), words.mid(1).join(u' ')));
        }
        return QString::fromUtf16(named.fields).split(u' ');
    }
    return makeError(u"unknown schedule name \"%1\": use @yearly (or @annually), @monthly, "
                     "@weekly, @daily (or @midnight), @hourly, or @every with a duration "
                     "such as @every 30s"_s.arg(words.first()));
}

// A duration such as 1h30m, in milliseconds (more than the longest interval comes back as
// just over it); nullopt when `text` is not one.
std::optional<qint64> parseDuration(QStringView text)
{
    static const std::pair<QStringView, qint64> units[] = {{u"ms", 1},
                                                           {u"s", kMsPerSecond},
                                                           {u"m", kMsPerMinute},
                                                           {u"h", kMsPerHour},
                                                           {u"d", kMsPerDay}};
    qint64 total = 0;
    qsizetype at = 0;
    while (at < text.size()) {
        qsizetype end = at;
        while (end < text.size() && text[end] >= u'0' && text[end] <= u'9')
            ++end;
        if (end == at)
            return std::nullopt;
        const QStringView digits = text.mid(at, end - at);
        const qint64 count = digits.size() > 11 ? kMaxIntervalMs + 1 : digits.toLongLong();
        const auto *const unit =
            std::find_if(std::begin(units), std::end(units), [&](const auto &candidate) {
                return text.mid(end).startsWith(candidate.first);
            });
        if (unit == std::end(units))
            return std::nullopt;
        total = std::min(total + std::min(count, kMaxIntervalMs + 1) * unit->second,
                         kMaxIntervalMs + 1);
        at = end + unit->first.size();
    }
    return text.isEmpty() ? std::nullopt : std::optional(total);
}

Result<qint64> parseInterval(const QStringList &words)
{
    if (words.size() != 2) {
        return makeError(u"@every takes one duration, %1, as in @every 30s"_s.arg(kDurationHelp));
    }
    const QString &text = words[1];
    const auto ms = parseDuration(text);
    if (!ms)
        return makeError(u"@every \"%1\": not a duration; write one %2"_s.arg(text, kDurationHelp));
    if (*ms < kMinIntervalMs) {
        return makeError(
            u"@every \"%1\": the shortest interval is 1s; use a cron expression or a longer "
            "interval"_s.arg(text));
    }
    if (*ms > kMaxIntervalMs) {
        return makeError(u"@every \"%1\": the longest interval is 366d; use a cron expression "
                         "such as @yearly for longer"_s.arg(text));
    }
    return *ms;
}

Error fieldCountError(const QString &text, qsizetype count)
{
    return makeError(u"\"%1\" has %2 fields; a cron expression has five (minute hour "
                     "day-of-month month day-of-week), such as \"0 3 * * *\"; or use a name "
                     "like @daily or @every 30s"_s.arg(text, QString::number(count)));
}

template <std::size_t N> int firstSetFrom(const std::bitset<N> &bits, int from)
{
    for (int i = std::max(from, 0); i < static_cast<int>(N); ++i) {
        if (bits.test(static_cast<std::size_t>(i)))
            return i;
    }
    return -1;
}

QDateTime utcAt(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

qint64 offsetMsAt(const QTimeZone &zone, qint64 ms)
{
    return zone.offsetFromUtc(utcAt(ms)) * kMsPerSecond;
}

// The first instant of a gap's far side, when the wall time `civilMs` (read as UTC) falls in
// it: the transition between `earliest` (before it) and `latest` (after it).
qint64 gapEnd(const QTimeZone &zone, qint64 earliest, qint64 latest)
{
    const auto transition = zone.nextTransition(utcAt(earliest)).atUtc;
    if (transition.isValid()) {
        const qint64 at = transition.toMSecsSinceEpoch();
        if (at > earliest && at <= latest)
            return at;
    }
    // No transition data: find where the offset changes.
    const qint64 before = offsetMsAt(zone, earliest);
    while (latest - earliest > 1) {
        const qint64 middle = earliest + (latest - earliest) / 2;
        (offsetMsAt(zone, middle) == before ? earliest : latest) = middle;
    }
    return latest;
}

// The instant of a wall time (given as the milliseconds it would be in UTC): its first
// occurrence when it exists twice, the end of the gap when it does not exist.
qint64 resolveCivil(qint64 civilMs, const QTimeZone &zone)
{
    const qint64 offsetBefore = offsetMsAt(zone, civilMs - kMsPerDay);
    const qint64 offsetAfter = offsetMsAt(zone, civilMs + kMsPerDay);
    std::optional<qint64> first;
    for (const qint64 offset : {offsetBefore, offsetAfter}) {
        const qint64 candidate = civilMs - offset;
        if (offsetMsAt(zone, candidate) == offset && (!first || candidate < *first))
            first = candidate;
    }
    if (first)
        return *first;
    return gapEnd(zone, civilMs - std::max(offsetBefore, offsetAfter),
                  civilMs - std::min(offsetBefore, offsetAfter));
}

qsizetype missedToKeep(CatchUp policy, int limit)
{
    switch (policy) {
    case CatchUp::Skip:
        return 0;
    case CatchUp::Once:
        return 1;
    case CatchUp::All:
        return std::max(limit, 0);
    }
    return 0;
}

// Where to start looking: `firstDue`, or, when more slots than the cap lie between it and
// `now`, the oldest slot the cap allows (the newest slots are those that fire).
QDateTime firstSlotToLook(const CronSpec &spec, const QTimeZone &zone, const QDateTime &firstDue,
                          const QDateTime &now)
{
    // Slots are at least a minute apart for cron expressions.
    const qint64 spacing = spec.isInterval() ? spec.intervalMs() : kMsPerMinute;
    const qint64 window = (kMaxSlots - 1) * spacing;
    if (firstDue.msecsTo(now) <= window)
        return firstDue.toUTC();
    return spec.nextAfter(now.addMSecs(-window - 1), zone);
}

} // namespace

Result<CronSpec> CronSpec::parse(const QString &expression)
{
    const QString text = expression.simplified();
    if (text.isEmpty()) {
        return makeError(u"the schedule is empty: give a cron expression such as \"0 3 * * *\" "
                         "(minute hour day-of-month month day-of-week), a name such as @daily, "
                         "or an interval such as @every 30s"_s);
    }
    QStringList words = text.split(u' ');
    CronSpec spec;
    spec.m_expression = expression.trimmed();
    if (words.first().compare(u"@every", Qt::CaseInsensitive) == 0) {
        const auto interval = parseInterval(words);
        if (!interval)
            return interval.error();
        spec.m_intervalMs = *interval;
        return spec;
    }
    if (text.startsWith(u'@')) {
        auto fields = namedFields(words);
        if (!fields)
            return fields.error();
        words = *fields;
    }
    if (words.size() != 5)
        return fieldCountError(text, words.size());
    if (auto r = spec.setFields(words); !r)
        return r.error();
    return spec;
}

Result<void> CronSpec::setFields(const QStringList &fields)
{
    Bits bits[5];
    for (int i = 0; i < 5; ++i) {
        auto field = parseField(fields[i], kFields[i]);
        if (!field)
            return field.error();
        bits[i] = *field;
    }
    m_minutes = std::bitset<60>(bits[0].to_ullong());
    m_hours = std::bitset<24>(bits[1].to_ullong());
    m_daysOfMonth = std::bitset<32>(bits[2].to_ullong());
    m_months = std::bitset<13>(bits[3].to_ullong());
    m_daysOfWeek = std::bitset<7>(bits[4].to_ullong());
    // As in Vixie cron, a field starting with '*' ("*/2" too) does not restrict the day for the
    // either-or rule: "0 0 */2 * 1" is Mondays on odd days.
    m_anyDayOfMonth = fields[2].startsWith(u'*') || fields[2] == u"?";
    m_anyDayOfWeek = fields[4].startsWith(u'*') || fields[4] == u"?";
    return {};
}

QDateTime CronSpec::nextAfter(const QDateTime &after, const QTimeZone &zone) const
{
    if (!after.isValid())
        return {};
    if (!isInterval())
        return zone.isValid() ? nextCron(after, zone) : QDateTime();
    const qint64 ms = after.toMSecsSinceEpoch();
    qint64 multiple = ms / m_intervalMs;
    if (ms % m_intervalMs < 0) // before the epoch: round down, not toward zero
        --multiple;
    return utcAt((multiple + 1) * m_intervalMs);
}

QList<QDateTime> CronSpec::upcoming(const QDateTime &after, const QTimeZone &zone, int count) const
{
    QList<QDateTime> slots;
    QDateTime slot = after;
    while (slots.size() < count) {
        slot = nextAfter(slot, zone);
        if (!slot.isValid())
            break;
        slots.append(slot);
    }
    return slots;
}

// The next wall-clock minute after that of `after` that matches, resolved to an instant;
// those that resolve to `after` or before (in a repeated hour) are passed over.
QDateTime CronSpec::nextCron(const QDateTime &after, const QTimeZone &zone) const
{
    const qint64 afterMs = after.toMSecsSinceEpoch();
    const QDateTime civil = utcAt(afterMs + offsetMsAt(zone, afterMs));
    const QDate limit = civil.date().addYears(kSearchYears);
    Civil at{civil.date(), civil.time().hour(), civil.time().minute() + 1};
    while (nextMatch(at, limit)) {
        const QDateTime wall(at.date, QTime(at.hour, at.minute), Qt::UTC);
        const qint64 slot = resolveCivil(wall.toMSecsSinceEpoch(), zone);
        if (slot > afterMs)
            return utcAt(slot);
        ++at.minute;
    }
    return {};
}

// Moves `at` to the first matching minute at or after it; false when that is past `limit`.
// Skips whole months, days and hours that do not match.
bool CronSpec::nextMatch(Civil &at, const QDate &limit) const
{
    while (at.date.isValid() && at.date <= limit) {
        const QDate day = at.date;
        if (!m_months.test(static_cast<std::size_t>(day.month()))) {
            at = {QDate(day.year(), day.month(), 1).addMonths(1), 0, 0};
            continue;
        }
        const int hour = matchesDay(day) ? firstSetFrom(m_hours, at.hour) : -1;
        if (hour < 0) {
            at = {day.addDays(1), 0, 0};
            continue;
        }
        if (hour != at.hour)
            at = {day, hour, 0};
        const int minute = firstSetFrom(m_minutes, at.minute);
        if (minute >= 0) {
            at.minute = minute;
            return true;
        }
        at = {day, hour + 1, 0};
    }
    return false;
}

bool CronSpec::matchesDay(const QDate &date) const
{
    const bool dayOfMonth = m_daysOfMonth.test(static_cast<std::size_t>(date.day()));
    const bool dayOfWeek = m_daysOfWeek.test(static_cast<std::size_t>(date.dayOfWeek() % 7));
    if (m_anyDayOfMonth || m_anyDayOfWeek)
        return dayOfMonth && dayOfWeek;
    return dayOfMonth || dayOfWeek; // both restricted: either will do (Vixie cron)
}

Result<CatchUp> parseCatchUp(const QString &text)
{
    const QString name = text.trimmed().toLower();
    if (name == u"skip")
        return CatchUp::Skip;
    if (name == u"once")
        return CatchUp::Once;
    if (name == u"all")
        return CatchUp::All;
    return makeError(u"catch-up \"%1\": use skip (fire none of the missed slots), once (fire "
                     "one, for the latest) or all (fire each, up to the limit)"_s.arg(text));
}

QString catchUpName(CatchUp policy)
{
    switch (policy) {
    case CatchUp::Skip:
        return u"skip"_s;
    case CatchUp::Once:
        return u"once"_s;
    case CatchUp::All:
        return u"all"_s;
    }
    return {};
}

Firing slotsToFire(const CronSpec &spec, const QTimeZone &zone, const QDateTime &firstDue,
                   const QDateTime &now, CatchUp policy, int limit, qint64 misfireThresholdMs)
{
    Firing firing;
    if (!now.isValid())
        return firing;
    if (!firstDue.isValid() || firstDue > now) {
        firing.next = firstDue.isValid() ? firstDue.toUTC() : spec.nextAfter(now, zone);
        return firing;
    }
    const qsizetype keep = missedToKeep(policy, limit);
    const qint64 threshold = std::max<qint64>(misfireThresholdMs, 0);
    std::deque<QDateTime> missed; // the newest `keep` of them
    QList<QDateTime> onTime;
    QDateTime slot = firstSlotToLook(spec, zone, firstDue, now);
    for (qint64 seen = 0; slot.isValid() && slot <= now && seen < kMaxSlots; ++seen) {
        if (slot.msecsTo(now) <= threshold) {
            onTime.append(slot);
        } else {
            ++firing.missed;
            missed.push_back(slot);
            if (static_cast<qsizetype>(missed.size()) > keep)
                missed.pop_front();
        }
        slot = spec.nextAfter(slot, zone);
    }
    if (slot.isValid() && slot <= now) // the cap: go on from now
        slot = spec.nextAfter(now, zone);
    firing.slots = QList<QDateTime>(missed.begin(), missed.end()) + onTime;
    firing.next = slot;
    return firing;
}

} // namespace ferry::agent::schedule
