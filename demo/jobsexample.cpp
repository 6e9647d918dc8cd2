#include "demo/jobsexample.h"

#include "agent/schedule/cron.h"
#include "agent/store/admin/adminstore.h"
#include "agent/store/admin/routestore.h"
#include "agent/store/jobs/jobstore.h"
#include "agent/store/jobs/schedulestore.h"
#include "agent/store/readmodels/reportstore.h"
#include "demo/terminal.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimeZone>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

const QString kActor = u"ferry-demo"_s;
const QString kName = u"nightly-report"_s; // the command and the schedule
const QString kEventType = u"report.requested"_s;
const QString kCron = u"@every 2s"_s; // docs/jobs.md: "0 2 * * *" in Europe/Berlin
constexpr qint64 kTimeoutMs = 60'000;

// The command: the event on standard input, progress lines on standard output, and a CSV file
// named after the slot (written under another name first, so that no half-written report is
// counted). What it prints is kept as the attempt's output (GET /v1/deliveries/{id}).
constexpr char kScript[] = R"sh(set -eu
event=$(cat)
slot=$(printf '%s\n' "$event" | sed -n 's/.*"scheduledfor" *: *"\([^"]*\)".*/\1/p')
if [ -z "$slot" ]; then echo "the event has no scheduledfor: not from a schedule" >&2; exit 1; fi
echo "progress 25 collecting the day's deliveries"
sleep 0.2
echo "progress 50 adding them up"
sleep 0.2
echo "progress 75 writing the report"
sleep 0.2
dir="$REPORT_DIR/$FERRY_TENANT"
mkdir -p "$dir"
report="$dir/nightly-report-$(printf '%s' "$slot" | tr ':' '-').csv"
printf 'slot,tenant,event,delivery,attempt\n%s,%s,%s,%s,%s\n' "$slot" "$FERRY_TENANT" \
    "$FERRY_EVENT_ID" "$FERRY_DELIVERY_ID" "$FERRY_ATTEMPT" >"$report.part"
mv "$report.part" "$report"
echo "report written: $report"
)sh";

} // namespace

JobsExample::Folders JobsExample::folders(const QString &demoDir)
{
    const QDir dir(QDir(demoDir).absolutePath());
    return {dir.filePath(u"jobs.d"_s), dir.filePath(u"jobs"_s), dir.filePath(u"reports"_s)};
}

Result<void> JobsExample::writeCommand(const Folders &folders)
{
    for (const QString &dir : {folders.commands, folders.scratch, folders.reports}) {
        if (!QDir().mkpath(dir))
            return makeError(u"cannot create the folder %1 for the jobs example"_s.arg(dir));
    }
    const QJsonObject command{
        {u"description"_s, u"ferry-demo's nightly report: a CSV file per slot"_s},
        {u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, QString::fromUtf8(kScript)}},
        {u"environment"_s, QJsonObject{{u"REPORT_DIR"_s, folders.reports}}},
        {u"timeout"_s, u"30s"_s},
        {u"kill_grace"_s, u"2s"_s}};
    QSaveFile file(QDir(folders.commands).filePath(kName + u".json"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(command).toJson()) < 0 ||
        !file.commit())
        return makeError(u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString()));
    return {};
}

Result<void> JobsExample::prepare(const AgentCommand &agent, const MasterKey &key)
{
    m_tenant = u"reports-%1"_s.arg(QDateTime::currentSecsSinceEpoch());
    if (auto created = agent({u"tenant"_s, u"create"_s, m_tenant}); !created)
        return created.error();
    auto id = agent::store::AdminStore(m_db, kActor).findTenant(m_tenant);
    if (!id || *id == 0)
        return makeError(u"the tenant %1 was not created"_s.arg(m_tenant));
    m_tenantId = *id;
    if (auto ok = putRoute(key); !ok)
        return ok;
    return putSchedule();
}

Result<void> JobsExample::putRoute(const MasterKey &key)
{
    agent::store::Route route;
    route.tenantId = m_tenantId;
    route.tenant = m_tenant;
    route.channel = u"exec"_s;
    route.target = kName; // the command's name, never a command line
    route.eventTypes = {kEventType};
    if (auto ok = agent::store::RouteStore(m_db, kActor, &key).create(route, nullptr); !ok)
        return makeError(
            u"cannot create the exec route for %1: %2"_s.arg(kEventType, ok.error().message));
    return {};
}

// As PUT /v1/tenants/{tenant}/schedules/nightly-report does: the first slot from now on.
Result<void> JobsExample::putSchedule()
{
    auto spec = agent::schedule::CronSpec::parse(kCron);
    if (!spec)
        return spec.error();
    agent::store::Schedule s;
    s.tenantId = m_tenantId;
    s.name = kName;
    s.cron = spec->expression();
    s.eventType = kEventType;
    s.eventSource = u"/schedules/"_s + kName;
    s.eventData = QJsonObject{{u"report"_s, u"daily-summary"_s}, {u"format"_s, u"csv"_s}};
    s.nextFireAt = spec->nextAfter(QDateTime::currentDateTimeUtc(), QTimeZone(s.timeZone.toUtf8()));
    auto put = agent::store::ScheduleStore(m_db, kActor).put(m_tenant, s, nullptr);
    if (!put)
        return makeError(u"cannot create the schedule %1: %2"_s.arg(kName, put.error().message));
    return {};
}

Result<void> JobsExample::pauseSchedule()
{
    auto paused =
        agent::store::ScheduleStore(m_db, kActor).setPaused(m_tenantId, m_tenant, kName, true, {});
    if (!paused)
        return makeError(u"cannot pause the schedule %1: %2"_s.arg(kName, paused.error().message));
    return {};
}

// The counts so far, from the agent's store and the report folder.
Result<JobsExample::Outcome> JobsExample::outcome()
{
    auto schedule = agent::store::ScheduleStore(m_db, kActor).get(m_tenantId, kName);
    if (!schedule)
        return schedule.error();
    agent::store::ReportStore reports(m_db);
    auto deliveries = reports.outcome(m_tenantId);
    auto open = reports.openDeliveriesByTenant();
    if (!deliveries || !open)
        return deliveries ? open.error() : deliveries.error();
    auto jobs = agent::store::JobStore(m_db, kActor).list(m_tenantId, u"succeeded"_s, 1000);
    if (!jobs)
        return jobs.error();
    Outcome o;
    o.tenant = m_tenant;
    o.reportDir = QDir(m_folders.reports).filePath(m_tenant);
    o.fired = schedule->fired;
    o.deliveries = deliveries->deliveries;
    o.succeeded = deliveries->succeeded;
    o.open = open->value(m_tenant);
    o.jobs = std::count_if(jobs->cbegin(), jobs->cend(),
                           [](const agent::store::JobRow &j) { return j.progress == 100; });
    o.reports = QDir(o.reportDir).entryList({kName + u"-*.csv"_s}, QDir::Files).size();
    return o;
}

// The counts once `done` holds, or after kTimeoutMs; an error when the demo has to stop.
Result<JobsExample::Outcome>
JobsExample::waitUntil(const std::function<bool(const Outcome &)> &done, const StopReason &stop)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        if (const QString reason = stop(); !reason.isEmpty())
            return makeError(reason);
        auto o = outcome();
        if (!o || done(*o) || clock.elapsed() > kTimeoutMs)
            return o;
        pause(200);
    }
}

Result<JobsExample::Outcome> JobsExample::run(const StopReason &stop)
{
    auto written = waitUntil(
        [](const Outcome &o) { return o.succeeded >= kSlots && o.reports >= kSlots; }, stop);
    // Paused in any case, so that it does not fire during the rest of the demo (or the next
    // agent on this database).
    if (auto paused = pauseSchedule(); !paused)
        return paused.error();
    if (!written)
        return written.error();
    // A slot may have fired meanwhile: the counts are final once its job finished too.
    return waitUntil([](const Outcome &o) { return o.deliveries >= o.fired && o.open == 0; }, stop);
}

} // namespace ferry::demo
