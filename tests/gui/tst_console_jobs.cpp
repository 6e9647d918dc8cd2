// The schedules and jobs page against a real agent: schedules and exec jobs seeded in the
// agent's database (as its scheduler and job runner would leave them) show in their tables: the
// schedules by name with their expression, zone, next fire time on this computer's clock and on
// the zone's (the selected one's next five listed), paused or active, what they fired, their
// last error; the jobs newest first with their state, progress (40 % and its message) and
// agent; the selected job's exit code, who cancelled it and its attempt's output from the
// delivery trace. Pause and Resume (operator) change the schedule in the database and the row
// after the reload; Cancel asks first, then the running job's cancellation is requested in the
// database (a finished job's is refused, and the page says why). A viewer token sees the
// actions disabled with a tooltip saying why. In the window the jobs reload every 2 s while one
// runs. Finally the page is rendered in German (with FERRY_SCREENSHOT_DIR set, saved there as
// jobs.png). The models pass QAbstractItemModelTester.
#include "console/core/apiclient.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/models/highlight.h"
#include "console/models/jobs/jobmodel.h"
#include "console/models/jobs/schedulemodel.h"
#include "console/widgets/jobswidget.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QImage>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QUuid>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::JobModel;
using console::JobsWidget;
using console::Role;
using console::ScheduleModel;

namespace {

// The text a view shows in `column` of the row whose `keyColumn` reads `key`.
QString cell(const QTableView *view, int keyColumn, const QString &key, int column,
             int role = Qt::DisplayRole)
{
    const QAbstractItemModel *m = view->model();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->index(row, keyColumn).data().toString() == key)
            return m->index(row, column).data(role).toString();
    }
    return u"<no row %1>"_s.arg(key);
}

// A column of a view, top to bottom.
QStringList column(const QTableView *view, int column)
{
    QStringList texts;
    for (int row = 0; row < view->model()->rowCount(); ++row)
        texts.append(view->model()->index(row, column).data().toString());
    return texts;
}

// A time as the tables show it, on t's own clock: "3 Dec 2026 14:05", in German "3. Dez. 2026
// 14:05".
QString tableTime(const QDateTime &t, QLocale::Language language = QLocale::English)
{
    return language == QLocale::German
               ? QLocale(QLocale::German).toString(t, u"d. MMM yyyy HH:mm"_s)
               : QLocale(QLocale::English).toString(t, u"d MMM yyyy HH:mm"_s);
}

// The same on this computer's clock.
QString localTableTime(const QDateTime &t, QLocale::Language language = QLocale::English)
{
    return tableTime(t.toLocalTime(), language);
}

// A job's seed: its command, state, the delivery's state, progress, exit code, when it started
// and ended, who cancelled it, what its attempt printed (and the attempt's outcome and error).
struct JobSeed
{
    const char *command;
    const char *state;
    const char *deliveryState; // in_flight: pending, its queue row leased
    const char *progress;
    const char *message;
    const char *exitCode;
    int startedMinutesAgo;
    int finishedMinutesAgo = -1; // -1: running
    const char *cancelledBy = nullptr;
    const char *outcome = nullptr;
    const char *error = nullptr;
    const char *output = nullptr;
};

const char *const kExportOutput = "rows: 1000\nexport written to /srv/exports/2026-12-05.csv\n";
const char *const kReindexOutput = "reindex: catalog\nreindex: index locked by another process\n";
const char *const kDigestError = "event.data does not match schema digest.v2: missing 'week'";

} // namespace

class TestConsoleJobs : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    qint64 m_execRoute = 0;
    QString m_running;   // nightly-export, 40 %
    QString m_succeeded; // nightly-export, yesterday's
    QString m_failed;    // reindex, exit code 3
    QString m_cancelled; // reindex, cancelled by ops-alice

    QString sql(const QString &statement) { return m_agent->db().scalar(statement); }

    QDateTime dbTime(const QString &expression)
    {
        return QDateTime::fromString(
            sql(u"SELECT to_char((%1) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"_s.arg(
                expression)),
            Qt::ISODate);
    }

    QDateTime nextFire(const QString &schedule)
    {
        return dbTime(u"SELECT next_fire_at FROM schedules WHERE name = '%1'"_s.arg(schedule));
    }

    // A schedule of the shop, as PUT …/schedules/{name} and the scheduler would leave it.
    bool addSchedule(const QString &name, const QString &cron, const QString &zone,
                     const QString &eventType, bool paused, const QString &next, int fired,
                     int skipped, const QString &error)
    {
        const QString statement =
            u"INSERT INTO schedules (tenant_id, name, cron, time_zone, event_type, event_source,"
            " paused, next_fire_at, last_slot, last_fired_at, last_event_id, fired, skipped,"
            " last_error) SELECT id, '%1', '%2', '%3', '%4', '/schedules/%1', %5, %6,"
            " now() - interval '1 day', now() - interval '1 day', gen_random_uuid(), %7, %8,"
            " nullif('%9', '') FROM tenants WHERE name = 'shop' RETURNING id"_s;
        bool number = false;
        sql(statement.arg(name, cron, zone, eventType, paused ? u"true"_s : u"false"_s, next,
                          QString::number(fired), QString::number(skipped),
                          QString(error).replace(u'\'', u"''"_s)))
            .toLongLong(&number);
        return number;
    }

    // The event, its delivery on the exec route, the job (attempt 1) and, once it ended, the
    // attempt's record with its output. Returns the delivery id.
    QString addJob(const JobSeed &j)
    {
        const QString minutes = u"now() - interval '%1 minutes'"_s;
        const QString started = minutes.arg(j.startedMinutesAgo);
        const bool running = j.finishedMinutesAgo < 0;
        const QString finished = running ? u"NULL"_s : minutes.arg(j.finishedMinutesAgo);
        const QString event =
            sql(u"INSERT INTO events (id, tenant_id, source, ce_id, type, payload, received_at)"
                " SELECT gen_random_uuid(), id, '/schedules/%1', gen_random_uuid()::text,"
                " 'export.requested', '{}', %2 FROM tenants WHERE name = 'shop' RETURNING id"_s.arg(
                    QLatin1StringView(j.command), started));
        const QString delivery =
            sql(u"INSERT INTO deliveries (event_id, endpoint_id, tenant_id, state, attempts,"
                " created_at, updated_at, finished_at, dead_reason) SELECT id, %2, tenant_id,"
                " '%3', 1, %4, now(), %5, %6 FROM events WHERE id = '%1' RETURNING id"_s.arg(
                    event, QString::number(m_execRoute),
                    running ? u"pending"_s : QLatin1StringView(j.deliveryState), started, finished,
                    qstrcmp(j.deliveryState, "dead") == 0 ? u"'permanent'"_s : u"NULL"_s));
        if (QUuid::fromString(event).isNull() || QUuid::fromString(delivery).isNull()) {
            qWarning().noquote() << "seeding a job failed:" << event << delivery;
            return {};
        }
        const QString job =
            u"INSERT INTO jobs (delivery_id, attempt, tenant_id, endpoint_id, command, agent, pid,"
            " state, progress, progress_message, exit_code, cancel_requested_at,"
            " cancel_requested_by, started_at, heartbeat_at, finished_at) SELECT '%1', 1,"
            " tenant_id, %2, '%3', 'worker-7', 4242, '%4', %5, %6, %7, %8, %9, %10, now(), %11"
            " FROM deliveries WHERE id = '%1'"_s;
        const auto text = [](const char *s) {
            return s ? u"'%1'"_s.arg(QString::fromUtf8(s).replace(u'\'', u"''"_s)) : u"NULL"_s;
        };
        if (!m_agent->db().exec(
                job.arg(delivery, QString::number(m_execRoute), QLatin1StringView(j.command),
                        QLatin1StringView(j.state), QLatin1StringView(j.progress), text(j.message),
                        QLatin1StringView(j.exitCode), j.cancelledBy ? started : u"NULL"_s,
                        text(j.cancelledBy), started, finished)))
            return {};
        // In flight: its queue row leased for a day (the agent neither claims nor rescues it).
        if (running)
            return m_agent->db().exec(u"UPDATE delivery_queue SET state = 'leased', attempts = 1,"
                                      " due_at = now() + interval '1 day' WHERE delivery_id ="
                                      " '%1'"_s.arg(delivery))
                       ? delivery
                       : QString();
        const QString attempt =
            u"INSERT INTO delivery_attempts (delivery_id, attempt, started_at, finished_at,"
            " outcome, error, duration_ms, output) VALUES ('%1', 1, %2, %3, '%4', %5, 1000, %6)"_s;
        return m_agent->db().exec(attempt.arg(delivery, started, finished,
                                              QLatin1StringView(j.outcome), text(j.error),
                                              text(j.output)))
                   ? delivery
                   : QString();
    }

    // The page of a `role` token with the shop's schedules and jobs.
    bool load(JobsWidget &page, console::ApiClient &client, Role role)
    {
        if (!QTest::qWaitFor([&] { return client.role() == role; }, 20000))
            return false;
        page.setRole(role);
        page.refreshTenants();
        if (!QTest::qWaitFor([&] { return page.tenants().contains(u"shop"_s); }, 20000))
            return false;
        page.setTenant(u"shop"_s);
        if (QTest::qWaitFor(
                [&] { return page.schedules()->rowCount() == 3 && page.jobs()->rowCount() == 4; },
                20000))
            return true;
        qWarning().noquote() << "not loaded:" << page.schedules()->rowCount() << "schedules,"
                             << page.jobs()->rowCount() << "jobs;" << page.feedback();
        return false;
    }

    // The window of a `role` token on the jobs page, the shop's loaded.
    bool showShop(console::MainWindow &window, const QString &role)
    {
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(role), false);
        if (!QTest::qWaitFor([&] { return window.client()->role() != Role::Unknown; }, 20000))
            return false;
        window.showScreen(console::MainWindow::Jobs);
        JobsWidget *page = window.jobs();
        // Connected: the page lists the tenants and shows the first one's schedules and jobs.
        if (!QTest::qWaitFor([&] { return page->tenants().contains(u"shop"_s); }, 20000) ||
            page->tenant() != u"billing"_s)
            return false;
        page->setTenant(u"shop"_s);
        return QTest::qWaitFor([&] { return page->jobs()->rowCount() == 4; }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_jobs"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QVERIFY(!test::createTenant(m_agent->db().url(), u"shop"_s).isEmpty());
        QVERIFY(!test::createTenant(m_agent->db().url(), u"billing"_s).isEmpty());
        // The shop's exec route (no schedule emits its event type: nothing is dispatched).
        m_execRoute =
            sql(u"INSERT INTO endpoints (tenant_id, channel, url, event_types, secret) SELECT id,"
                " 'exec', 'nightly-export', ARRAY['export.requested'], '' FROM tenants WHERE"
                " name = 'shop' RETURNING id"_s)
                .toLongLong();
        QVERIFY(m_execRoute > 0);

        // Slots still to come: the agent's scheduler leaves them alone.
        QVERIFY(addSchedule(u"nightly-export"_s, u"0 3 * * *"_s, u"Europe/Berlin"_s,
                            u"report.nightly"_s, false,
                            u"(date_trunc('day', now() AT TIME ZONE 'Europe/Berlin') + interval"
                            " '1 day 3 hours') AT TIME ZONE 'Europe/Berlin'"_s,
                            41, 0, {}));
        QVERIFY(addSchedule(u"cache-warm"_s, u"@every 15m"_s, u"UTC"_s, u"cache.warm"_s, true,
                            u"now() + interval '1 hour'"_s, 2880, 3, {}));
        QVERIFY(addSchedule(u"weekly-digest"_s, u"0 8 * * MON"_s, u"America/New_York"_s,
                            u"digest.weekly"_s, false,
                            u"(date_trunc('week', now() AT TIME ZONE 'America/New_York') +"
                            " interval '7 days 8 hours') AT TIME ZONE 'America/New_York'"_s,
                            12, 0, QString::fromLatin1(kDigestError)));

        // Oldest first: one that succeeded, one that failed, one cancelled, one running.
        m_succeeded = addJob({"nightly-export", "succeeded", "succeeded", "100", nullptr, "0", 240,
                              235, nullptr, "succeeded", nullptr, kExportOutput});
        m_failed = addJob({"reindex", "failed", "dead", "NULL", nullptr, "3", 120, 118, nullptr,
                           "permanent", "exit code 3: index locked", kReindexOutput});
        m_cancelled = addJob({"reindex", "cancelled", "dead", "10", "catalog", "NULL", 60, 59,
                              "ops-alice", "cancelled",
                              "cancelled by ops-alice while running: its process group was "
                              "terminated",
                              ""});
        m_running = addJob({"nightly-export", "running", "in_flight", "40",
                            "exported 400 of 1000 rows", "NULL", 3});
        for (const QString &id : {m_succeeded, m_failed, m_cancelled, m_running})
            QVERIFY(!id.isEmpty());
        QVERIFY2(m_agent->start(), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void schedulesWithTheirNextFireTimes()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        JobsWidget page(client.get());
        QAbstractItemModelTester tester(page.schedules(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client, Role::Viewer));
        QCOMPARE(page.tenants(), (QStringList{u"billing"_s, u"shop"_s}));
        QVERIFY(page.dataTime().isValid());
        QVERIFY(page.feedback().isEmpty());

        const QTableView *view = page.scheduleView();
        QCOMPARE(column(view, ScheduleModel::Name),
                 (QStringList{u"cache-warm"_s, u"nightly-export"_s, u"weekly-digest"_s}));
        const auto at = [&](const QString &name, int c, int role = Qt::DisplayRole) {
            return cell(view, ScheduleModel::Name, name, c, role);
        };
        // The next slot on this computer's clock and on the schedule's: 03:00 in Berlin.
        const QDateTime next = nextFire(u"nightly-export"_s);
        QVERIFY(next.isValid());
        const QTimeZone berlin("Europe/Berlin");
        QCOMPARE(next.toTimeZone(berlin).time(), QTime(3, 0));
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::Expression), u"0 3 * * *"_s);
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::TimeZone), u"Europe/Berlin"_s);
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::NextFire), localTableTime(next));
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::NextFireInZone),
                 tableTime(next.toTimeZone(berlin)));
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::State), u"active"_s);
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::Fired), QLocale().toString(41));
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::LastError), u"—"_s);
        const QDateTime monday = nextFire(u"weekly-digest"_s);
        QCOMPARE(at(u"weekly-digest"_s, ScheduleModel::NextFireInZone),
                 tableTime(monday.toTimeZone(QTimeZone("America/New_York"))));
        QCOMPARE(monday.toTimeZone(QTimeZone("America/New_York")).time(), QTime(8, 0));
        // Paused: no next slot, grey; the digest's error red.
        QCOMPARE(at(u"cache-warm"_s, ScheduleModel::State), u"paused"_s);
        QCOMPARE(at(u"cache-warm"_s, ScheduleModel::NextFire), u"—"_s);
        QCOMPARE(at(u"cache-warm"_s, ScheduleModel::Fired), QLocale().toString(2880));
        QCOMPARE(at(u"cache-warm"_s, ScheduleModel::Skipped), QLocale().toString(3));
        QVERIFY(!at(u"cache-warm"_s, ScheduleModel::Name, Qt::ForegroundRole).isEmpty());
        QCOMPARE(at(u"weekly-digest"_s, ScheduleModel::LastError),
                 QString::fromLatin1(kDigestError));
        QCOMPARE(at(u"weekly-digest"_s, ScheduleModel::Name, Qt::BackgroundRole),
                 console::severityBackground(console::Severity::Problem).name());
        QCOMPARE(at(u"nightly-export"_s, ScheduleModel::Name, Qt::BackgroundRole), QString());

        // The selected schedule's next five fire times, a day apart, each at 03:00 in Berlin.
        QCOMPARE(page.upcomingTimes(), QStringList());
        page.selectSchedule(u"nightly-export"_s);
        QCOMPARE(page.selectedSchedule(), u"nightly-export"_s);
        QCOMPARE(page.upcomingNote(), u"Coming slots of nightly-export:"_s);
        const QStringList local = page.upcomingTimes();
        QCOMPARE(local.size(), 5);
        QCOMPARE(local.at(0), localTableTime(next));
        QCOMPARE(local.at(1), localTableTime(next.addDays(1)));
        for (const QString &zoned : page.upcomingZoneTimes())
            QVERIFY2(zoned.endsWith(u" 03:00"_s), qPrintable(zoned));
        page.selectSchedule(u"cache-warm"_s);
        QCOMPARE(page.upcomingTimes(), QStringList());
        QCOMPARE(page.upcomingNote(), u"cache-warm is paused: no slot fires."_s);
    }

    void jobsWithTheirProgress()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        JobsWidget page(client.get());
        QAbstractItemModelTester tester(page.jobs(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            page.jobView()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client, Role::Viewer));
        const QTableView *view = page.jobView();
        // Newest first.
        QStringList ids;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            ids.append(page.jobs()->job(row).deliveryId);
        QCOMPARE(ids, (QStringList{m_running, m_cancelled, m_failed, m_succeeded}));
        QCOMPARE(column(view, JobModel::Command), (QStringList{u"nightly-export"_s, u"reindex"_s,
                                                               u"reindex"_s, u"nightly-export"_s}));
        QCOMPARE(column(view, JobModel::State),
                 (QStringList{u"running"_s, u"cancelled"_s, u"failed"_s, u"succeeded"_s}));

        // The running job: 40 % (drawn as a bar), its message, its agent and attempt.
        const QAbstractItemModel *m = view->model();
        QCOMPARE(m->index(0, JobModel::Progress).data().toString(), u"40 %"_s);
        QCOMPARE(m->index(0, JobModel::Progress).data(JobModel::ProgressRole).toInt(), 40);
        QCOMPARE(m->index(0, JobModel::Message).data().toString(), u"exported 400 of 1000 rows"_s);
        QCOMPARE(m->index(0, JobModel::EventType).data().toString(), u"export.requested"_s);
        QCOMPARE(m->index(0, JobModel::Agent).data().toString(), u"worker-7"_s);
        QCOMPARE(m->index(0, JobModel::Attempt).data().toString(), QLocale().toString(1));
        QCOMPARE(m->index(0, JobModel::StartedAt).data().toString(),
                 localTableTime(page.jobs()->job(0).startedAt));
        QVERIFY(page.jobs()->job(0).startedAt.isValid());
        QVERIFY(!m->index(2, JobModel::Progress).data(JobModel::ProgressRole).isValid());
        QCOMPARE(m->index(2, JobModel::Progress).data().toString(), u"—"_s);
        QCOMPARE(m->index(3, JobModel::Progress).data().toString(), u"100 %"_s);
        // Failed red, cancelled grey.
        QCOMPARE(m->index(2, 0).data(Qt::BackgroundRole).value<QColor>(),
                 console::severityBackground(console::Severity::Problem));
        QVERIFY(m->index(1, 0).data(Qt::ForegroundRole).isValid());
        QVERIFY(!m->index(0, 0).data(Qt::BackgroundRole).isValid());
        QCOMPARE(page.jobRefreshSeconds(), JobsWidget::kRunningRefreshSeconds);

        // The failed job: its exit code and what its attempt printed, from the delivery trace.
        page.selectJob(m_failed);
        QCOMPARE(page.selectedJob(), m_failed);
        QCOMPARE(page.exitCodeText(), QLocale().toString(3));
        QCOMPARE(page.cancellationText(), u"—"_s);
        QVERIFY2(page.detailsTitle().contains(m_failed), qPrintable(page.detailsTitle()));
        QTRY_COMPARE_WITH_TIMEOUT(page.outputText(), QString::fromLatin1(kReindexOutput), 20000);
        QVERIFY(page.outputView()->isReadOnly());
        QVERIFY(QFontInfo(page.outputView()->font()).fixedPitch());
        // The cancelled one: who cancelled it; it printed nothing.
        page.selectJob(m_cancelled);
        QVERIFY2(page.cancellationText().startsWith(u"ops-alice, "_s),
                 qPrintable(page.cancellationText()));
        QCOMPARE(page.exitCodeText(), u"—"_s);
        QTRY_COMPARE_WITH_TIMEOUT(page.outputView()->placeholderText(),
                                  u"The attempt printed nothing."_s, 20000);
        QCOMPARE(page.outputText(), QString());
        // The running one: no output until its attempt ends.
        page.selectJob(m_running);
        QCOMPARE(page.outputText(), QString());
        QVERIFY2(page.outputView()->placeholderText().contains(u"running"_s),
                 qPrintable(page.outputView()->placeholderText()));
        page.selectJob(m_succeeded);
        QCOMPARE(page.exitCodeText(), QLocale().toString(0));
        QTRY_COMPARE_WITH_TIMEOUT(page.outputText(), QString::fromLatin1(kExportOutput), 20000);

        // A reload of the same jobs keeps the selection.
        QSignalSpy updated(&page, &JobsWidget::updated);
        page.refreshJobs();
        QVERIFY(updated.wait(20000));
        QCOMPARE(page.selectedJob(), m_succeeded);
    }

    void pauseAndResume()
    {
        auto client = m_agent->connectedClient(u"operator"_s);
        JobsWidget page(client.get());
        QAbstractItemModelTester tester(page.schedules(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client, Role::Operator));
        const QString paused =
            u"SELECT paused::text FROM schedules WHERE name = 'nightly-export'"_s;
        QCOMPARE(sql(paused), u"false"_s);
        QVERIFY(!page.pauseAction()->isEnabled()); // nothing selected
        page.selectSchedule(u"nightly-export"_s);
        QVERIFY(page.pauseAction()->isEnabled());
        QVERIFY(!page.resumeAction()->isEnabled());

        QSignalSpy done(&page, &JobsWidget::actionDone);
        page.pauseAction()->trigger();
        QVERIFY(done.wait(20000));
        QCOMPARE(sql(paused), u"true"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM audit_log WHERE action = 'schedule.pause'"_s), u"1"_s);
        // Reloaded: the row is paused, with no next fire time, and can be resumed.
        QSignalSpy updated(&page, &JobsWidget::updated);
        page.refresh();
        QVERIFY(updated.wait(20000));
        const QTableView *view = page.scheduleView();
        const auto at = [&](int c) {
            return cell(view, ScheduleModel::Name, u"nightly-export"_s, c);
        };
        QCOMPARE(at(ScheduleModel::State), u"paused"_s);
        QCOMPARE(at(ScheduleModel::NextFire), u"—"_s);
        QCOMPARE(page.selectedSchedule(), u"nightly-export"_s);
        QCOMPARE(page.upcomingTimes(), QStringList());
        QVERIFY(!page.pauseAction()->isEnabled());
        QVERIFY(page.resumeAction()->isEnabled());

        // Resumed: from its next slot on, 03:00 in Berlin.
        page.resumeAction()->trigger();
        QVERIFY(done.wait(20000));
        QCOMPARE(sql(paused), u"false"_s);
        QTRY_COMPARE_WITH_TIMEOUT(at(ScheduleModel::State), u"active"_s, 20000);
        const QDateTime next = nextFire(u"nightly-export"_s);
        QCOMPARE(next.toTimeZone(QTimeZone("Europe/Berlin")).time(), QTime(3, 0));
        QTRY_COMPARE_WITH_TIMEOUT(at(ScheduleModel::NextFire), localTableTime(next), 20000);
        QCOMPARE(page.upcomingTimes().size(), 5);
        QVERIFY(page.pauseAction()->isEnabled());
        QVERIFY(page.feedback().contains(u"resumed"_s));
    }

    void cancelARunningJob()
    {
        auto client = m_agent->connectedClient(u"operator"_s);
        JobsWidget page(client.get());
        QVERIFY(load(page, *client, Role::Operator));
        const QString requested =
            u"SELECT (cancel_requested_at IS NOT NULL)::text FROM jobs WHERE delivery_id = '%1'"_s
                .arg(m_running);
        QVERIFY(!page.cancelAction()->isEnabled()); // nothing selected
        page.selectJob(m_failed);
        QVERIFY(!page.cancelAction()->isEnabled());
        QVERIFY2(page.cancelAction()->toolTip().contains(u"Only a running job"_s),
                 qPrintable(page.cancelAction()->toolTip()));
        page.selectJob(m_running);
        QVERIFY(page.cancelAction()->isEnabled());

        // Asked first: keeping it running changes nothing.
        const auto confirmation = [&page]() -> QMessageBox * {
            QMessageBox *box = nullptr;
            if (!QTest::qWaitFor([&] { return (box = page.findChild<QMessageBox *>()); }, 5000))
                return nullptr;
            return box;
        };
        const auto click = [](QMessageBox *box, QMessageBox::ButtonRole role) {
            for (QAbstractButton *b : box->buttons()) {
                if (box->buttonRole(b) == role) {
                    b->click();
                    return true;
                }
            }
            return false;
        };
        page.cancelAction()->trigger();
        QMessageBox *box = confirmation();
        QVERIFY(box);
        QVERIFY2(box->text().contains(m_running), qPrintable(box->text()));
        QVERIFY(click(box, QMessageBox::RejectRole));
        QTRY_VERIFY(!page.findChild<QMessageBox *>());
        QCOMPARE(sql(requested), u"false"_s);

        // Stopped: the agent records the request; the job shows it is being stopped.
        QSignalSpy done(&page, &JobsWidget::actionDone);
        page.cancelAction()->trigger();
        box = confirmation();
        QVERIFY(box);
        QVERIFY(click(box, QMessageBox::AcceptRole));
        QVERIFY(done.wait(20000));
        QCOMPARE(sql(requested), u"true"_s);
        const QString by =
            sql(u"SELECT cancel_requested_by FROM jobs WHERE delivery_id = '%1'"_s.arg(m_running));
        QVERIFY2(by.startsWith(u"api:token/"_s), qPrintable(by));
        QTRY_COMPARE_WITH_TIMEOUT(page.jobView()->model()->index(0, JobModel::State).data(),
                                  QVariant(u"stopping"_s), 20000);
        QCOMPARE(page.selectedJob(), m_running);
        QVERIFY(page.cancellationText().startsWith(by + u", "_s));
        QVERIFY(!page.cancelAction()->isEnabled());
        QVERIFY2(page.cancelAction()->toolTip().contains(u"Cancellation was requested"_s),
                 qPrintable(page.cancelAction()->toolTip()));

        // A finished job cannot be cancelled: the agent says so, and the page shows it.
        page.cancelJob(m_succeeded);
        QTRY_VERIFY_WITH_TIMEOUT(page.feedback().contains(u"not running"_s), 20000);

        // (The running job as it was, for the tests after this one.)
        QVERIFY(m_agent->db().exec(
            u"UPDATE jobs SET cancel_requested_at = NULL,"
            " cancel_requested_by = NULL WHERE delivery_id = '%1'"_s.arg(m_running)));
    }

    void viewerSeesTheActionsDisabled()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        JobsWidget page(client.get());
        QVERIFY(load(page, *client, Role::Viewer));
        page.selectSchedule(u"nightly-export"_s);
        page.selectJob(m_running);
        for (QAction *a : {page.pauseAction(), page.resumeAction(), page.cancelAction()}) {
            QVERIFY2(!a->isEnabled(), qPrintable(a->text()));
            QVERIFY2(a->toolTip().contains(u"Needs the operator role"_s) &&
                         a->toolTip().contains(u"viewer"_s),
                     qPrintable(a->toolTip()));
        }
        // Asked anyway, the agent refuses, and the page says why.
        page.setPaused(u"nightly-export"_s, true);
        QTRY_VERIFY_WITH_TIMEOUT(page.feedback().contains(u"role"_s), 20000);
        QCOMPARE(sql(u"SELECT paused::text FROM schedules WHERE name = 'nightly-export'"_s),
                 u"false"_s);
    }

    void mainWindowReloadsRunningJobs()
    {
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(window.isScreenAvailable(console::MainWindow::Jobs));
        QVERIFY(showShop(window, u"viewer"_s));
        QCOMPARE(window.findChild<QTabWidget *>()->currentWidget(), window.jobs());
        JobsWidget *page = window.jobs();
        QVERIFY(!page->cancelAction()->isEnabled()); // the window passed the role on
        QCOMPARE(page->jobRefreshSeconds(), JobsWidget::kRunningRefreshSeconds);

        // The job moves on: the page shows it without asking.
        QVERIFY(m_agent->db().exec(
            u"UPDATE jobs SET progress = 55, progress_message = 'exported 550 of 1000 rows',"
            " heartbeat_at = now() WHERE delivery_id = '%1'"_s.arg(m_running)));
        const QAbstractItemModel *m = page->jobView()->model();
        QTRY_COMPARE_WITH_TIMEOUT(m->index(0, JobModel::Progress).data().toString(), u"55 %"_s,
                                  20000);
        QCOMPARE(m->index(0, JobModel::Message).data().toString(), u"exported 550 of 1000 rows"_s);
        QVERIFY(m_agent->db().exec(
            u"UPDATE jobs SET progress = 40, progress_message = 'exported 400 of 1000 rows'"
            " WHERE delivery_id = '%1'"_s.arg(m_running)));

        // No job runs for the billing tenant: its jobs reload with everything else.
        page->setTenant(u"billing"_s);
        QTRY_VERIFY_WITH_TIMEOUT(page->jobsTime().isValid(), 20000);
        QCOMPARE(page->jobs()->rowCount(), 0);
        QCOMPARE(page->jobRefreshSeconds(), JobsWidget::kRefreshSeconds);
    }

    // Last: the UI language stays German from here on.
    void germanScreenshot()
    {
        QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showShop(window, u"operator"_s));
        JobsWidget *page = window.jobs();
        page->selectSchedule(u"nightly-export"_s);
        page->selectJob(m_failed);
        QTRY_COMPARE_WITH_TIMEOUT(page->outputText(), QString::fromLatin1(kReindexOutput), 20000);

        // Words, numbers and dates in German.
        const QTableView *jobs = page->jobView();
        QCOMPARE(
            column(jobs, JobModel::State),
            (QStringList{u"läuft"_s, u"abgebrochen"_s, u"fehlgeschlagen"_s, u"erfolgreich"_s}));
        QCOMPARE(jobs->model()->headerData(JobModel::Progress, Qt::Horizontal).toString(),
                 u"Fortschritt"_s);
        const QTableView *schedules = page->scheduleView();
        QCOMPARE(cell(schedules, ScheduleModel::Name, u"cache-warm"_s, ScheduleModel::State),
                 u"pausiert"_s);
        QCOMPARE(cell(schedules, ScheduleModel::Name, u"cache-warm"_s, ScheduleModel::Fired),
                 u"2.880"_s);
        const QDateTime next = nextFire(u"nightly-export"_s);
        QCOMPARE(cell(schedules, ScheduleModel::Name, u"nightly-export"_s, ScheduleModel::NextFire),
                 localTableTime(next, QLocale::German));
        QCOMPARE(cell(schedules, ScheduleModel::Name, u"nightly-export"_s,
                      ScheduleModel::NextFireInZone),
                 tableTime(next.toTimeZone(QTimeZone("Europe/Berlin")), QLocale::German));
        QCOMPARE(page->upcomingTimes().value(0), localTableTime(next, QLocale::German));
        QCOMPARE(page->upcomingNote(), u"Kommende Termine von nightly-export:"_s);
        QVERIFY(!page->cancelAction()->text().contains(u"Cancel"_s));
        const QTabWidget *tabs = window.findChild<QTabWidget *>();
        QCOMPARE(tabs->tabText(tabs->indexOf(page)), u"&Zeitpläne && Jobs"_s);

        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTemporaryDir temporary;
        const QString dir = qEnvironmentVariable("FERRY_SCREENSHOT_DIR", temporary.path());
        const QString path = QDir(dir).filePath(u"jobs.png"_s);
        QVERIFY(window.grab().save(path));
        QVERIFY(QImage(path).width() >= 1200);
    }
};

QTEST_MAIN(TestConsoleJobs)
#include "tst_console_jobs.moc"
