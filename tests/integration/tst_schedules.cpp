// Schedules through two real agents on one database: a schedule every second fires exactly one
// event per slot for 30 s however the two agents race for it, and each slot reaches the
// receiver once. Both agents then stop for 10 s: on restart `all` fires every missed slot,
// `once` one event for all of them (saying how many), `skip` none, while slots still within the
// misfire threshold fire as usual. Pausing stops a schedule and resuming does not make up for
// the pause. The API refuses expressions and zones it cannot read, and shows the next slots.
// (Daylight-saving transitions are checked with explicit instants in tst_cron.)
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {
constexpr int kAgents = 2;
const QString kThreshold = u"3s"_s; // schedule.misfire_threshold of the agents under test
} // namespace

class TestSchedules : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::vector<std::unique_ptr<test::Process>> m_agents;
    std::vector<quint16> m_httpPorts;
    quint16 m_apiPort = 0;
    QTemporaryDir m_dir;
    QByteArray m_admin;
    test::RecordingServer m_receiver;

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }

    test::HttpResponse api(const QByteArray &method, const QString &path,
                           const QByteArray &body = {})
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(m_apiPort).arg(path);
        r.caFile = m_dir.filePath(u"api.crt"_s);
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + m_admin}, {"Content-Type", "application/json"}};
        return test::http(r, 10000);
    }

    void startAgents()
    {
        m_agents.clear();
        for (int i = 0; i < kAgents; ++i) {
            auto e = test::agentEnvironment(m_db->url(), m_httpPorts[size_t(i)]);
            e.insert(u"FERRY_SCHEDULE_MISFIRE_THRESHOLD"_s, kThreshold);
            if (i == 0)
                test::addApi(e, m_apiPort, m_dir.path());
            auto agent =
                std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
            QVERIFY(agent->start());
            QVERIFY2(test::waitForHealthy(m_httpPorts[size_t(i)]), qPrintable(agent->output()));
            m_agents.push_back(std::move(agent));
        }
    }

    void stopAgents()
    {
        for (auto &agent : m_agents)
            QVERIFY2(agent->terminate(), qPrintable(agent->output()));
        m_agents.clear();
    }

    void putSchedule(const QString &name, const QString &cron, const QString &catchUp)
    {
        const QJsonObject body{
            {u"cron"_s, cron},
            {u"catch_up"_s, catchUp},
            {u"event"_s, QJsonObject{{u"type"_s, u"tick."_s + catchUp},
                                     {u"data"_s, QJsonObject{{u"report"_s, name}}}}}};
        const auto r =
            api("PUT", u"/v1/tenants/clock/schedules/"_s + name, QJsonDocument(body).toJson());
        QVERIFY2(r.status == 201, r.body.constData());
    }

    // The slots (Unix seconds) of the events a schedule fired, in order, one entry per event.
    QList<qint64> slotsOf(const QString &name) const
    {
        const QString list = m_db->scalar(
            u"SELECT string_agg(extract(epoch FROM (payload::jsonb->>'time')::timestamptz)"
            "::bigint::text, ',' ORDER BY (payload::jsonb->>'time')::timestamptz) FROM events "
            "WHERE source = '/schedules/%1'"_s.arg(name));
        QList<qint64> out;
        for (const QString &s : list.split(u',', Qt::SkipEmptyParts))
            out.append(s.toLongLong());
        return out;
    }

    qint64 counter(const QString &name, const QString &column) const
    {
        return m_db->scalar(u"SELECT %1 FROM schedules WHERE name = '%2'"_s.arg(column, name))
            .toLongLong();
    }

    // Waits, with the event loop (and the receiver) running, until `done` holds.
    template <typename Done> bool waitUntil(Done done, int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        while (!done() && clock.elapsed() < timeoutMs)
            QTest::qWait(100);
        return done();
    }

    // The CloudEvent ids the receiver was sent for `type`, one entry per request.
    QStringList received(const QString &type) const
    {
        QStringList ids;
        for (const auto &r : m_receiver.received()) {
            const QJsonObject event = QJsonDocument::fromJson(r.body).object();
            if (event.value("type"_L1).toString() == type)
                ids << event.value("id"_L1).toString();
        }
        return ids;
    }

    static bool consecutive(const QList<qint64> &slots)
    {
        for (qsizetype i = 1; i < slots.size(); ++i) {
            if (slots[i] != slots[i - 1] + 1)
                return false;
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void theApiReadsAndShowsSchedules();
    void twoAgentsFireEachSlotOnce();
    void catchUpAfterBothAgentsStopped();
    void pauseAndResume();
};

void TestSchedules::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = std::make_unique<test::TestDatabase>(u"schedules"_s);
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
    QVERIFY(test::createTenant(m_db->url(), u"clock"_s).startsWith(u"fpt_"_s));
    QCOMPARE(
        test::run(test::agentBinary(), {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env())
            .exitCode,
        0);
    m_admin =
        test::run(test::agentBinary(), {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s}, env())
            .out.trimmed()
            .toUtf8();
    QVERIFY(!m_admin.isEmpty());
    QVERIFY(m_receiver.start());
    for (const QString &type : {u"tick.all"_s, u"tick.once"_s, u"tick.skip"_s})
        QVERIFY(!test::addEndpoint(m_db->url(), u"clock"_s, m_receiver.url(u"/"_s + type), type)
                     .isEmpty());
    for (int i = 0; i < kAgents; ++i)
        m_httpPorts.push_back(test::freePort());
    m_apiPort = test::freePort();
    startAgents();
}

void TestSchedules::cleanupTestCase()
{
    stopAgents();
}

void TestSchedules::theApiReadsAndShowsSchedules()
{
    const auto bad = [&](const QJsonObject &body, const QByteArray &says) {
        const auto r =
            api("PUT", u"/v1/tenants/clock/schedules/bad"_s, QJsonDocument(body).toJson());
        return r.status == 422 && r.body.contains(says);
    };
    const QJsonObject event{{u"type"_s, u"x.y"_s}};
    QVERIFY(bad({{u"cron"_s, u"61 * * * *"_s}, {u"event"_s, event}}, "values run from 0 to 59"));
    QVERIFY(
        bad({{u"cron"_s, u"@daily"_s}, {u"time_zone"_s, u"Mars/Olympus"_s}, {u"event"_s, event}},
            "not a time zone"));
    QVERIFY(bad({{u"cron"_s, u"@daily"_s}, {u"catch_up"_s, u"some"_s}, {u"event"_s, event}},
                "catch_up"));
    QVERIFY(bad({{u"cron"_s, u"@daily"_s}}, "event.type"));
    QVERIFY(bad({{u"cron"_s, u"0 0 30 2 *"_s}, {u"event"_s, event}}, "never fires"));
    QVERIFY(bad({{u"cron"_s, u"@daily"_s}, {u"event"_s, event}, {u"colour"_s, u"red"_s}},
                "unknown field"));
    QCOMPARE(m_db->scalar(u"SELECT count(*) FROM schedules"_s), u"0"_s); // nothing half-written

    const QJsonObject nightly{{u"cron"_s, u"30 2 * * *"_s},
                              {u"time_zone"_s, u"Europe/Berlin"_s},
                              {u"event"_s, QJsonObject{{u"type"_s, u"report.nightly"_s}}}};
    auto r = api("PUT", u"/v1/tenants/clock/schedules/nightly"_s, QJsonDocument(nightly).toJson());
    QCOMPARE(r.status, 201);
    const QJsonObject shown = QJsonDocument::fromJson(r.body).object();
    const QJsonArray upcoming = shown.value("upcoming"_L1).toArray();
    QCOMPARE(upcoming.size(), 5);
    const QTimeZone berlin("Europe/Berlin");
    for (const auto &t : upcoming) {
        const QDateTime local = QDateTime::fromString(t.toString(), Qt::ISODate).toTimeZone(berlin);
        // 02:30 local, or 03:00 on the night the clocks skip 02:00-03:00.
        QVERIFY2(local.time() == QTime(2, 30) || local.time() == QTime(3, 0),
                 qPrintable(t.toString()));
    }
    QCOMPARE(shown.value("next_fire_at"_L1), upcoming.first());
    QCOMPARE(shown.value("event"_L1).toObject().value("source"_L1).toString(),
             u"/schedules/nightly"_s);
    QCOMPARE(api("DELETE", u"/v1/tenants/clock/schedules/nightly"_s).status, 204);
    QCOMPARE(api("GET", u"/v1/tenants/clock/schedules/nightly"_s).status, 404);
}

void TestSchedules::twoAgentsFireEachSlotOnce()
{
    putSchedule(u"every-all"_s, u"@every 1s"_s, u"all"_s);
    putSchedule(u"every-once"_s, u"@every 1s"_s, u"once"_s);
    putSchedule(u"every-skip"_s, u"@every 1s"_s, u"skip"_s);
    QVERIFY2(waitUntil([&] { return slotsOf(u"every-all"_s).size() >= 30; }, 60000),
             qPrintable(m_agents[0]->output()));
    const QList<qint64> slots = slotsOf(u"every-all"_s);
    QVERIFY2(consecutive(slots), "one event for every second, none twice");
    for (const QString &name : {u"every-once"_s, u"every-skip"_s}) {
        const QList<qint64> other = slotsOf(name);
        QVERIFY(other.size() >= 25);
        QCOMPARE(QSet<qint64>(other.begin(), other.end()).size(), other.size());
    }
    // Every slot reaches the receiver, once.
    QVERIFY(waitUntil([&] { return received(u"tick.all"_s).size() >= slots.size(); }, 30000));
    const QStringList ids = received(u"tick.all"_s);
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
    QVERIFY(ids.size() >= slots.size());
    QCOMPARE(counter(u"every-all"_s, u"skipped"_s), 0);
}

void TestSchedules::catchUpAfterBothAgentsStopped()
{
    stopAgents();
    const qint64 stoppedAfter = slotsOf(u"every-all"_s).last();
    QTest::qWait(10'000); // both agents down for ten slots
    startAgents();
    const QDateTime restarted = QDateTime::currentDateTimeUtc();
    const qint64 settled = restarted.toSecsSinceEpoch() + 3;
    QVERIFY(waitUntil(
        [&] {
            return slotsOf(u"every-all"_s).last() >= settled &&
                   slotsOf(u"every-once"_s).last() >= settled &&
                   slotsOf(u"every-skip"_s).last() >= settled;
        },
        30000));

    // all: every missed slot, none twice.
    const QList<qint64> all = slotsOf(u"every-all"_s);
    QVERIFY2(consecutive(all), "all: the ten missed slots were fired");
    QVERIFY(all.last() - stoppedAfter >= 10);
    QCOMPARE(counter(u"every-all"_s, u"skipped"_s), 0);

    // once: one event stands for the missed slots and says how many; the others did not fire.
    const qint64 represented =
        m_db->scalar(u"SELECT count(*) FROM events WHERE source = '/schedules/every-once' AND "
                     "payload::jsonb ? 'missedslots'"_s)
            .toLongLong();
    QCOMPARE(represented, 1);
    const qint64 missed =
        m_db->scalar(u"SELECT payload::jsonb->>'missedslots' FROM events WHERE source = "
                     "'/schedules/every-once' AND payload::jsonb ? 'missedslots'"_s)
            .toLongLong();
    QVERIFY2(missed >= 5, qPrintable(QString::number(missed))); // 10 s down, 3 s threshold
    QCOMPARE(counter(u"every-once"_s, u"skipped"_s), missed - 1);

    // skip: none of the missed slots fired; the on-time ones did.
    const QList<qint64> skip = slotsOf(u"every-skip"_s);
    const qint64 skipped = counter(u"every-skip"_s, u"skipped"_s);
    QVERIFY2(skipped >= 5, qPrintable(QString::number(skipped)));
    QVERIFY(!m_db->scalar(u"SELECT count(*) FROM events WHERE source = '/schedules/every-skip' "
                          "AND payload::jsonb ? 'missedslots'"_s)
                 .toInt());
    for (const QList<qint64> &fired : {slotsOf(u"every-once"_s), skip})
        QCOMPARE(QSet<qint64>(fired.begin(), fired.end()).size(), fired.size());
    // Slot by slot: once and skip each lack the skipped ones, all has them.
    QCOMPARE(all.size() - skip.size(), skipped);
}

void TestSchedules::pauseAndResume()
{
    auto r = api("POST", u"/v1/tenants/clock/schedules/every-once/pause"_s);
    QCOMPARE(r.status, 200);
    QVERIFY(QJsonDocument::fromJson(r.body).object().value("paused"_L1).toBool());
    const qint64 pausedAt = slotsOf(u"every-once"_s).size();
    const qint64 allAt = slotsOf(u"every-all"_s).last();
    QVERIFY(waitUntil([&] { return slotsOf(u"every-all"_s).last() >= allAt + 4; }, 20000));
    QVERIFY(slotsOf(u"every-once"_s).size() <= pausedAt + 1); // one in flight at the pause
    const qint64 beforeResume = slotsOf(u"every-once"_s).last();
    r = api("POST", u"/v1/tenants/clock/schedules/every-once/resume"_s);
    QCOMPARE(r.status, 200);
    QVERIFY(waitUntil([&] { return slotsOf(u"every-once"_s).last() > beforeResume + 3; }, 20000));
    const QList<qint64> once = slotsOf(u"every-once"_s);
    const auto resumedFrom =
        std::find_if(once.begin(), once.end(), [&](qint64 s) { return s > beforeResume; });
    QVERIFY(resumedFrom != once.end());
    QVERIFY2(*resumedFrom - beforeResume >= 3, "the paused slots were not fired on resume");
}

QTEST_GUILESS_MAIN(TestSchedules)
#include "tst_schedules.moc"
