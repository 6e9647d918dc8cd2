// The Prometheus endpoint of a real agent process: events flow over HTTP and ZeroMQ to a real
// webhook receiver (some failing, some refused for good) while /metrics is scraped. Counters
// only grow and end equal to what PostgreSQL holds; the database gauges follow the queue; a
// scrape taken under load passes `promtool check metrics`.
#include "tests/support/testsupport.h"

#include <QDateTime>
#include <QHash>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <atomic>
#include <thread>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

constexpr int kEvents = 2000;
constexpr int kPoison = 20; // refused by the receiver with 400: dead-lettered at once

// One scrape: series (name and labels, as printed) → value.
using Scrape = QHash<QString, double>;

Scrape parse(const QByteArray &text)
{
    Scrape out;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        out.insert(QString::fromUtf8(line.left(space)), line.mid(space + 1).toDouble());
    }
    return out;
}

} // namespace

class TestMetricsEndpoint : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_receiver;
    std::unique_ptr<test::Process> m_agent;
    QString m_token;
    quint16 m_httpPort = 0;
    quint16 m_zmqPort = 0;
    quint16 m_metricsPort = 0;
    qint64 m_agentStartedAt = 0;
    ProducerCredentials m_creds;

    test::HttpResponse get(const QString &path, const QByteArray &method = "GET") const
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"http://127.0.0.1:%1%2"_s.arg(m_metricsPort).arg(path);
        return test::http(r, 10000);
    }

    QByteArray scrapeText() const
    {
        const auto r = get(u"/metrics"_s);
        return r.status == 200 ? r.body : QByteArray();
    }

    qint64 dbCount(const QString &sql) const { return m_db->scalar(sql).toLongLong(); }

    test::HttpRequest event(int i, const QByteArray &token,
                            const QByteArray &contentType = "application/cloudevents+json") const
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_httpPort);
        r.body =
            test::cloudEvent(u"m-%1"_s.arg(i), u"order.created"_s,
                             i < kPoison ? u"{\"note\":\"POISON\"}"_s : u"{\"order\":%1}"_s.arg(i));
        r.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", contentType}};
        return r;
    }

    // `promtool check metrics` (syntax and Prometheus' naming lint) on an exposition.
    static bool promtoolAccepts(const QByteArray &exposition)
    {
        const QString promtool = QStandardPaths::findExecutable(u"promtool"_s);
        if (promtool.isEmpty()) {
            qWarning("promtool not found: install the Debian package 'prometheus' "
                     "(scripts/install-deps.sh does)");
            return false;
        }
        QProcess check;
        check.start(promtool, {u"check"_s, u"metrics"_s});
        if (!check.waitForStarted())
            return false;
        check.write(exposition);
        check.closeWriteChannel();
        if (!check.waitForFinished(30000))
            return false;
        const QByteArray said = check.readAllStandardOutput() + check.readAllStandardError();
        if (!said.isEmpty())
            qWarning().noquote() << "promtool:" << said;
        return check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"metrics"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        m_token = test::createTenant(m_db->url(), u"shop"_s);
        QVERIFY(!m_token.isEmpty());
        QVERIFY(!test::createTenant(m_db->url(), u"idle"_s).isEmpty());
        const quint16 receiverPort = test::freePort();
        const QString secret = test::addEndpoint(m_db->url(), u"shop"_s,
                                                 u"http://127.0.0.1:%1/hooks"_s.arg(receiverPort));
        QVERIFY(!secret.isEmpty());
        m_receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(receiverPort), u"--secret"_s, secret,
                        u"--fail-rate"_s, u"0.2"_s, u"--poison-marker"_s, u"POISON"_s});
        QVERIFY(m_receiver->start());

        m_httpPort = test::freePort();
        m_zmqPort = test::freePort();
        m_metricsPort = test::freePort();
        m_creds = test::addProducer(m_db->url(), u"shop"_s, m_zmqPort);
        auto env = test::agentEnvironment(m_db->url(), m_httpPort, m_zmqPort);
        env.insert(u"FERRY_METRICS_LISTEN"_s, u"127.0.0.1:%1"_s.arg(m_metricsPort));
        env.insert(u"FERRY_METRICS_REFRESH_INTERVAL"_s, u"200ms"_s);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        m_agentStartedAt = QDateTime::currentSecsSinceEpoch();
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void servesOnlyGetMetrics()
    {
        const auto ok = get(u"/metrics"_s);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.headers.value("content-type"),
                 QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY(ok.body.contains("# TYPE ferry_events_accepted_total counter\n"));
        QCOMPARE(get(u"/"_s).status, 404);
        QCOMPARE(get(u"/metrics/x"_s).status, 404);
        QCOMPARE(get(u"/metrics"_s, "POST").status, 405);
    }

    void badListenAddressStopsTheAgentWithAMessage()
    {
        auto env = test::agentEnvironment(m_db->url(), test::freePort());
        env.insert(u"FERRY_METRICS_LISTEN"_s, u"localhost-9464"_s);
        const auto r = test::run(test::agentBinary(), {u"run"_s}, env, 30000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"metrics.listen"_s), qPrintable(r.err));
    }

    void countersFollowTheLoadAndAgreeWithTheDatabase()
    {
        const QByteArray token = m_token.toUtf8();
        QList<test::HttpRequest> all;
        for (int i = 0; i < kEvents; ++i)
            all.append(event(i, token));

        // Load in slices while the main thread scrapes.
        std::atomic<bool> done{false};
        std::atomic<int> notAccepted{0};
        std::thread producer([&] {
            for (qsizetype from = 0; from < all.size(); from += 100) {
                for (const auto &r : test::httpMany(all.mid(from, 100), 8))
                    notAccepted += r.status == 202 ? 0 : 1;
            }
            done = true;
        });
        QList<QByteArray> scrapes;
        QByteArray underLoad;
        const QString accepted =
            u"ferry_events_accepted_total{tenant=\"shop\",transport=\"http\"}"_s;
        while (!done) {
            const QByteArray text = scrapeText();
            if (text.isEmpty())
                break;
            scrapes.append(text);
            const double n = parse(text).value(accepted, 0);
            // The latest scrape under load, preferably one with deliveries under way.
            if (n > 0 && n < kEvents && !done &&
                (underLoad.isEmpty() || text.contains("ferry_adapter_latency_seconds_bucket") ||
                 !underLoad.contains("ferry_adapter_latency_seconds_bucket")))
                underLoad = text;
            QTest::qWait(20);
        }
        producer.join();
        QCOMPARE(notAccepted.load(), 0);
        QVERIFY2(!underLoad.isEmpty(), "no scrape was taken while events were being accepted");

        // Answers that are not acceptances, and ZeroMQ.
        QList<test::HttpRequest> others;
        for (int i = 100; i < 110; ++i)
            others.append(event(i, token)); // duplicates
        for (int i = 0; i < 5; ++i)
            others.append(event(90000 + i, "fpt_not-a-token")); // 401
        for (int i = 0; i < 3; ++i)
            others.append(event(91000 + i, token, "text/plain")); // 415
        const auto answers = test::httpMany(others, 4);
        for (int i = 0; i < others.size(); ++i)
            QCOMPARE(answers[i].status, i < 10 ? 200 : i < 15 ? 401 : 415);
        {
            test::ZmqClient zmq(u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort), m_creds);
            QVERIFY(zmq.send({"ferry/1", "r-1", "PUB", {}, test::cloudEvent(u"z-1"_s)}));
            const auto reply = zmq.receive(10000);
            QCOMPARE(reply.value(2), QByteArray("ACK"));
        }

        // promtool, on the scrape taken under load.
        QVERIFY2(promtoolAccepts(underLoad), underLoad.constData());

        // Counters never go down between scrapes, and they moved.
        scrapes.append(scrapeText());
        for (qsizetype i = 1; i < scrapes.size(); ++i) {
            const Scrape before = parse(scrapes[i - 1]), after = parse(scrapes[i]);
            for (auto it = before.cbegin(); it != before.cend(); ++it) {
                const QString name = it.key().section(u'{', 0, 0);
                if (name.endsWith("_total"_L1) || name.endsWith("_bucket"_L1) ||
                    name.endsWith("_count"_L1))
                    QVERIFY2(after.value(it.key(), -1) >= it.value(), qPrintable(it.key()));
            }
        }
        QVERIFY(parse(scrapes.first()).value(accepted, 0) < kEvents);

        // Ingest counters equal the database and the answers.
        Scrape s = parse(scrapeText());
        QCOMPARE(s.value(accepted, -1), double(kEvents));
        QCOMPARE(s.value(u"ferry_events_accepted_total{tenant=\"shop\",transport=\"zmq\"}"_s, -1),
                 1.0);
        QCOMPARE(double(dbCount(u"SELECT count(*) FROM events"_s)), double(kEvents + 1));
        QCOMPARE(s.value(u"ferry_events_duplicate_total{tenant=\"shop\",transport=\"http\"}"_s, -1),
                 10.0);
        QCOMPARE(s.value(u"ferry_events_rejected_total{tenant=\"_unknown\",transport=\"http\","
                         "reason=\"unauthorized\"}"_s,
                         -1),
                 5.0);
        QCOMPARE(s.value(u"ferry_events_rejected_total{tenant=\"shop\",transport=\"http\","
                         "reason=\"unsupported-media-type\"}"_s,
                         -1),
                 3.0);
        QCOMPARE(
            s.value(u"ferry_build_info{version=\"%1\"}"_s.arg(QStringLiteral(FERRY_VERSION)), -1),
            1.0);
        const double started = s.value(u"ferry_process_start_time_seconds"_s, -1);
        QVERIFY2(started >= m_agentStartedAt - 1, qPrintable(QString::number(started, 'f')));
        QVERIFY(started <= QDateTime::currentSecsSinceEpoch());

        // Drain, then attempts, latencies and the database gauges agree with PostgreSQL.
        const QString open =
            u"SELECT count(*) FROM deliveries WHERE state NOT IN ('succeeded', 'dead')"_s;
        QTRY_COMPARE_WITH_TIMEOUT(dbCount(open), qint64(0), 180000);
        QCOMPARE(dbCount(u"SELECT count(*) FROM deliveries WHERE state = 'dead'"_s),
                 qint64(kPoison));
        const QString endpointId = m_db->scalar(u"SELECT min(id) FROM endpoints"_s);
        const auto gaugesSettled = [&] {
            s = parse(scrapeText());
            return s.value(
                       u"ferry_deliveries{tenant=\"shop\",channel=\"webhook\",state=\"dead\"}"_s,
                       -1) == kPoison &&
                   s.value(u"ferry_deliveries{tenant=\"shop\",channel=\"webhook\","
                           "state=\"retry_wait\"}"_s,
                           -1) == 0 &&
                   s.value(
                       u"ferry_deliveries{tenant=\"shop\",channel=\"webhook\",state=\"pending\"}"_s,
                       -1) == 0;
        };
        QTRY_VERIFY_WITH_TIMEOUT(gaugesSettled(), 20000);
        QCOMPARE(s.value(u"ferry_dlq_size{tenant=\"shop\"}"_s, -1), double(kPoison));
        QCOMPARE(s.value(u"ferry_dlq_size{tenant=\"idle\"}"_s, -1), 0.0);
        QCOMPARE(s.value(u"ferry_queue_lag_seconds{tenant=\"shop\",channel=\"webhook\"}"_s, -1),
                 0.0);
        QCOMPARE(
            s.value(u"ferry_deliveries{tenant=\"idle\",channel=\"webhook\",state=\"pending\"}"_s,
                    -1),
            0.0);
        QCOMPARE(
            s.value(
                u"ferry_breaker_state{tenant=\"shop\",channel=\"webhook\",scope=\"endpoint\",guard=\"%1\"}"_s
                    .arg(endpointId),
                -1),
            0.0);
        QCOMPARE(s.value(u"ferry_metrics_collector_up"_s, -1), 1.0);
        // SLA over the last 24 hours: the dead (poison) deliveries miss it; an idle tenant has no
        // attainment yet, only its target.
        const double within = double(
            dbCount(u"SELECT count(*) FROM deliveries WHERE state = 'succeeded' AND finished_at "
                    "<= created_at + interval '60 seconds'"_s));
        const double counted = double(dbCount(u"SELECT count(*) FROM deliveries"_s));
        QVERIFY(within < counted);
        // (The gauges above may come from a refresh that still saw a delivery in flight: wait
        // for one taken after the last delivery finished.)
        const auto slaSettled = [&] {
            s = parse(scrapeText());
            return qFuzzyCompare(s.value(u"ferry_sla_attainment_ratio{tenant=\"shop\"}"_s, -1),
                                 within / counted);
        };
        QTRY_VERIFY_WITH_TIMEOUT(slaSettled(), 20000);
        QCOMPARE(s.value(u"ferry_sla_target_ratio{tenant=\"shop\"}"_s, -1), 0.99);
        QCOMPARE(s.value(u"ferry_sla_attainment_ratio{tenant=\"idle\"}"_s, -1), -1.0);

        double attempts = 0;
        for (const QString &outcome : {u"succeeded"_s, u"retryable"_s, u"permanent"_s}) {
            const qint64 inDb = dbCount(
                u"SELECT count(*) FROM delivery_attempts WHERE outcome = '%1'"_s.arg(outcome));
            QCOMPARE(
                s.value(u"ferry_delivery_attempts_total{channel=\"webhook\",outcome=\"%1\"}"_s.arg(
                            outcome),
                        0),
                double(inDb));
            attempts += double(inDb);
        }
        QVERIFY(attempts > kEvents + 1); // the receiver's failures were retried
        QCOMPARE(double(dbCount(u"SELECT count(*) FROM delivery_attempts"_s)), attempts);
        QCOMPARE(s.value(u"ferry_adapter_latency_seconds_count{channel=\"webhook\"}"_s, -1),
                 attempts);
        QCOMPARE(
            s.value(u"ferry_adapter_latency_seconds_bucket{channel=\"webhook\",le=\"+Inf\"}"_s, -1),
            attempts);
        const double succeeded =
            double(dbCount(u"SELECT count(*) FROM deliveries WHERE state = 'succeeded'"_s));
        QCOMPARE(succeeded, double(kEvents + 1 - kPoison));
        QCOMPARE(s.value(u"ferry_delivery_end_to_end_seconds_count{channel=\"webhook\"}"_s, -1),
                 succeeded);
        QVERIFY(s.value(u"ferry_delivery_end_to_end_seconds_sum{channel=\"webhook\"}"_s, -1) > 0);
        // And on the final scrape, with every kind of sample present.
        const QByteArray last = scrapeText();
        QVERIFY(last.contains("ferry_events_rejected_total{"));
        QVERIFY2(promtoolAccepts(last), last.constData());
    }

    void queueLagGrowsBehindASlowEndpoint()
    {
        // One request at a time to a receiver that takes 2 s per answer (under the 3 s request
        // timeout of the test agents): the rest wait, due.
        const QString token = test::createTenant(m_db->url(), u"slow"_s);
        QVERIFY(!token.isEmpty());
        const quint16 port = test::freePort();
        const QString secret =
            test::addEndpoint(m_db->url(), u"slow"_s, u"http://127.0.0.1:%1/hooks"_s.arg(port));
        QVERIFY(m_db->exec(u"UPDATE endpoints SET max_concurrency = 1 WHERE tenant_id = "
                           "(SELECT id FROM tenants WHERE name = 'slow')"_s));
        test::Process receiver(test::receiverBinary(),
                               {u"--listen"_s, u"127.0.0.1:%1"_s.arg(port), u"--secret"_s, secret,
                                u"--delay-ms"_s, u"2000"_s});
        QVERIFY(receiver.start());
        QList<test::HttpRequest> events;
        for (int i = 0; i < 6; ++i)
            events.append(event(kPoison + 500000 + i, token.toUtf8()));
        for (const auto &r : test::httpMany(events, 6))
            QCOMPARE(r.status, 202);

        const QString lag = u"ferry_queue_lag_seconds{tenant=\"slow\",channel=\"webhook\"}"_s;
        const QString pending =
            u"ferry_deliveries{tenant=\"slow\",channel=\"webhook\",state=\"pending\"}"_s;
        Scrape s;
        QTRY_VERIFY_WITH_TIMEOUT((s = parse(scrapeText())).value(lag, 0) > 0, 20000);
        // The same snapshot shows the deliveries that wait: pending, or waiting for a retry
        // when an answer took longer than the agent's request timeout on a loaded machine.
        const double waiting =
            s.value(pending, 0) + s.value(u"ferry_deliveries{tenant=\"slow\",channel=\"webhook\","
                                          "state=\"retry_wait\"}"_s,
                                          0);
        QVERIFY(waiting >= 1);
        double open = 0;
        for (const char *state : {"queued", "pending", "in_flight", "retry_wait"})
            open +=
                s.value(u"ferry_deliveries{tenant=\"slow\",channel=\"webhook\",state=\"%1\"}"_s.arg(
                            QLatin1StringView(state)),
                        0);
        // (Between one answer and the next claim nothing may be in flight: at least the waiting
        // ones, at most the six.)
        QVERIFY(open >= waiting && open <= 6);
        // The tenant appeared after the agent started: its events are counted under its name.
        QCOMPARE(s.value(u"ferry_events_accepted_total{tenant=\"slow\",transport=\"http\"}"_s, -1),
                 6.0);
        QVERIFY(m_db->exec(u"UPDATE endpoints SET enabled = false WHERE tenant_id = "
                           "(SELECT id FROM tenants WHERE name = 'slow')"_s));
    }
};

QTEST_GUILESS_MAIN(TestMetricsEndpoint)
#include "tst_metricsendpoint.moc"
