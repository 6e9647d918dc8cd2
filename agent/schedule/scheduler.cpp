#include "agent/schedule/scheduler.h"

#include "agent/app/logging.h"
#include "agent/ingest/internalpublish.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/schedule/cron.h"
#include "agent/store/jobs/schedulestore.h"
#include "agent/store/pgconnection.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::schedule {

namespace {

constexpr int kTakeAtMost = 50;
constexpr qsizetype kSlotsPerPass = 1000;

QString slotText(const QDateTime &slot)
{
    return slot.toUTC().toString(Qt::ISODateWithMs);
}

// The event of one slot: the schedule's type, source and data, its time the slot's.
QJsonObject slotEvent(const store::Schedule &s, const QDateTime &slot, qint64 missed)
{
    QJsonObject event{{u"specversion"_s, u"1.0"_s},
                      {u"id"_s, u"schedule-%1-%2"_s.arg(s.id).arg(slotText(slot))},
                      {u"source"_s, s.eventSource},
                      {u"type"_s, s.eventType},
                      {u"time"_s, slotText(slot)},
                      {u"schedule"_s, s.name},
                      {u"scheduledfor"_s, slotText(slot)}};
    if (missed > 0)
        event.insert(u"missedslots"_s, missed);
    if (!s.eventData.isUndefined()) {
        event.insert(u"datacontenttype"_s, u"application/json"_s);
        event.insert(u"data"_s, s.eventData);
    }
    return event;
}

} // namespace

// One slot's event. A slot whose id another agent already published (409: with other content,
// such as another count of missed slots) counts as fired; one the tenant's stream refuses for
// good (400, 413, 422) is skipped with its error; otherwise (429, 503) it is tried again at the
// next tick, and stays the schedule's next slot.
bool Scheduler::publish(const store::Schedule &s, const QDateTime &slot, qint64 missed,
                        store::ScheduleAdvance &a)
{
    auto published = ingest::publishAndWait(m_writer, s.tenantId, slotEvent(s, slot, missed));
    if (published || published.error().code == 409) {
        ++a.fired;
        a.lastSlot = slot;
        if (published)
            a.lastEventId = published->eventId.toString(QUuid::WithoutBraces);
        return true;
    }
    a.error =
        u"slot %1 could not be published: %2"_s.arg(slotText(slot), published.error().message);
    qCWarning(lcSchedule).noquote() << "schedule" << s.name << a.error;
    const int code = published.error().code;
    if (code == 400 || code == 413 || code == 422) {
        ++a.skipped;
        return true;
    }
    a.nextFireAt = slot;
    return false;
}

Scheduler::Scheduler(ingest::BatchWriter &writer, Options options)
    : m_writer(writer)
    , m_options(std::move(options))
    , m_db(std::make_unique<store::PgConnection>())
{}

Scheduler::~Scheduler()
{
    stop();
}

void Scheduler::start()
{
    if (m_thread.joinable())
        return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void Scheduler::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
    m_db->close();
}

void Scheduler::run()
{
    while (!m_stop) {
        if (connected())
            fireDue();
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(m_options.tickMs),
                        [this] { return m_stop.load(); });
    }
}

bool Scheduler::connected()
{
    if (m_db->isOpen() && !m_db->isBroken())
        return true;
    m_db->close();
    auto opened = m_db->open(m_options.databaseUrl, m_options.connectTimeoutSeconds);
    if (!opened)
        qCWarning(lcSchedule).noquote() << "schedules:" << opened.error().message;
    return bool(opened);
}

void Scheduler::fireDue()
{
    store::ScheduleStore store(*m_db);
    auto due = store.takeDue(m_options.agentId, m_options.leaseMs, kTakeAtMost);
    if (!due) {
        qCWarning(lcSchedule).noquote() << "schedules:" << due.error().message;
        return;
    }
    for (const store::DueSchedule &d : std::as_const(*due)) {
        if (m_stop)
            break; // its lease runs out; the next agent fires it
        fire(d);
    }
}

// Publishes the schedule's due slots, oldest first, then records how far it got: a slot that
// could not be published stays the next one.
void Scheduler::fire(const store::DueSchedule &due)
{
    const store::Schedule &s = due.schedule;
    store::ScheduleAdvance a{s.id, s.revision, {}, {}, {}, 0, 0, {}};
    auto spec = CronSpec::parse(s.cron);
    auto policy = parseCatchUp(s.catchUp);
    const QTimeZone zone(s.timeZone.toUtf8());
    if (!spec || !policy || !zone.isValid()) {
        a.error = spec ? (policy ? u"unknown time zone "_s + s.timeZone : policy.error().message)
                       : spec.error().message;
        a.nextFireAt = s.nextFireAt.addSecs(3600); // look again in an hour
        (void)store::ScheduleStore(*m_db).advance(m_options.agentId, a);
        return;
    }
    const Firing firing = slotsToFire(*spec, zone, s.nextFireAt, due.now, *policy, s.catchUpLimit,
                                      m_options.misfireThresholdMs);
    a.nextFireAt = firing.next;
    const QDateTime missedBefore = due.now.addMSecs(-m_options.misfireThresholdMs);
    const auto missedFired = std::count_if(firing.slots.cbegin(), firing.slots.cend(),
                                           [&](const QDateTime &t) { return t < missedBefore; });
    a.skipped = firing.missed - missedFired;
    for (qsizetype i = 0; i < firing.slots.size(); ++i) {
        const QDateTime &slot = firing.slots[i];
        if (i == kSlotsPerPass) {
            a.nextFireAt = slot; // the rest in the next pass, within a fresh lease
            break;
        }
        // `once`: the one event for the missed slots says how many there were.
        const qint64 missed = *policy == CatchUp::Once && slot < missedBefore ? firing.missed : 0;
        if (!publish(s, slot, missed, a))
            break;
    }
    if (auto r = store::ScheduleStore(*m_db).advance(m_options.agentId, a); !r)
        qCWarning(lcSchedule).noquote() << "schedule" << s.name << r.error().message;
    auto &slots = metrics::AgentMetrics::instance().scheduleSlots;
    slots.inc({"fired"}, quint64(a.fired));
    slots.inc({"skipped"}, quint64(std::max<qint64>(0, a.skipped)));
}

} // namespace ferry::agent::schedule
