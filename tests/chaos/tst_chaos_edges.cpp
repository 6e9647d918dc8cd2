// Chaos at Ferry's edges, each scenario with its figures on a `CHAOS <scenario>:` line:
//   - the producer ↔ agent connection cut again and again while ferry::Producer publishes:
//     no event lost, none stored twice, none delivered twice;
//   - receivers that fail: 5xx, answers held past the webhook timeout, 429 with Retry-After,
//     410 Gone, and responses lost after the receiver processed the request;
//   - 50 concurrent publishes under the same idempotency key, for each of many keys, over
//     HTTP and over ZeroMQ: one event and one delivery per key.
// Every scenario counts lost deliveries, repeats at the receiver by webhook-id and reorderings
// on ordered routes, and checks that no work is left in the queue after the drain.
// FERRY_CHAOS_LONG=1 runs the full size (CTest label chaos-long).
#include "shared/producer.h"
#include "tests/chaos/edgesupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <atomic>

using namespace ferry;
using namespace ferry::test::edges;
using namespace Qt::StringLiterals;

namespace {

// A CloudEvent in one of `partitions` partitions. An ordered route delivers one event of a
// partition at a time: the more partitions, the quicker the drain.
QByteArray partitioned(const QString &id, int n, int partitions = 8)
{
    return u"{\"specversion\":\"1.0\",\"id\":\"%1\",\"source\":\"/edges\",\"type\":\"t\","
           "\"partitionkey\":\"k%2\",\"data\":{\"n\":%3}}"_s.arg(id)
               .arg(n % partitions)
               .arg(n)
               .toUtf8();
}

test::HttpRequest ingest(quint16 port, const QString &token, const QByteArray &body,
                         const QByteArray &idempotencyKey = {})
{
    test::HttpRequest r;
    r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(port);
    r.body = body;
    r.headers = {{"Authorization", "Bearer " + token.toUtf8()},
                 {"Content-Type", "application/cloudevents+json"}};
    if (!idempotencyKey.isEmpty())
        r.headers.append({"Idempotency-Key", idempotencyKey});
    return r;
}

// The counts every scenario asserts, after the drain.
void verifyDrained(const Tally &t, int events, int delivered)
{
    QCOMPARE(t.events, events);
    QCOMPARE(t.distinctIds, events);
    QCOMPARE(t.deliveries, events);
    QCOMPARE(t.succeeded, delivered);
    QCOMPARE(t.lost, 0);
    QCOMPARE(t.reordered, 0);
    QCOMPARE(t.queued, 0);
    QCOMPARE(t.badSignatures, 0);
}

// One database, one tenant with one route and its receiver, one agent.
struct Scene
{
    test::TestDatabase db;
    ReceiverRoute route;
    std::unique_ptr<AgentProcess> agent;

    Scene(const QString &name, const QStringList &routeArgs)
        : db(u"edges_"_s + name)
    {
        if (!migrate(db))
            return;
        route = ReceiverRoute::make(db.url(), name, routeArgs, {});
        agent = std::make_unique<AgentProcess>(db.url(), QHash<QString, QString>{});
        if (!route.tenant.isEmpty() && !agent->start())
            route.tenant.clear();
    }
    bool ok() const { return !route.tenant.isEmpty(); }
};

} // namespace

class TestChaosEdges : public QObject
{
    Q_OBJECT

    // Publishes `events` through a producer whose connection the proxy cuts `cuts` times,
    // spread over the run, each time while requests are unanswered: in turn as soon as a chunk
    // is on the wire (the agent may not have it) and once the agent has answered it but the
    // answers were lost on the way (it has stored the events). Returns how many cuts landed so.
    static int publishThroughCuts(Producer &producer, CuttingProxy &proxy, int events, int cuts,
                                  std::atomic<int> &answered, std::atomic<int> &duplicates,
                                  std::atomic<int> &failed)
    {
        int midStream = 0;
        const int chunk = std::max(1, events / (cuts * 4));
        const auto done = [&] { return answered + duplicates + failed; };
        for (int first = 0, c = 0; first < events; first += chunk, ++c) {
            const int end = std::min(events, first + chunk);
            const bool cutHere = c % 4 == 1 && midStream < cuts;
            const bool loseAnswers = cutHere && midStream % 2 == 1;
            const qint64 sent = proxy.bytesForwarded(), dropped = proxy.answerBytesDropped();
            proxy.dropAnswers(loseAnswers);
            for (int i = first; i < end; ++i)
                producer.publish(partitioned(u"cut-%1"_s.arg(i), i, 64),
                                 [&](const PublishResult &r) {
                                     (r.ok() ? (r.duplicate ? duplicates : answered) : failed)++;
                                 });
            if (!cutHere)
                continue;
            const auto ready = [&] {
                return loseAnswers ? proxy.answerBytesDropped() > dropped
                                   : proxy.bytesForwarded() > sent;
            };
            if (QTest::qWaitFor(ready, 10000) && producer.outstanding() > 0 && proxy.cut() > 0)
                ++midStream;
            proxy.dropAnswers(false);
            if (!QTest::qWaitFor([&] { return done() >= end; }, 60000))
                return midStream;
        }
        return midStream;
    }

    // The receiver-fault sub-cases: one tenant each, with its route and a receiver that fails
    // in one way, all served by one agent at once.
    struct Faults
    {
        test::TestDatabase db{u"edges_faults"_s};
        std::unique_ptr<AgentProcess> agent;
        QHash<QString, ReceiverRoute> routes;
        int events = 0;

        QString attempts(const QString &tenant, const QString &where) const
        {
            return db.scalar(u"SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id "
                             "= a.delivery_id JOIN tenants t ON t.id = d.tenant_id WHERE t.name = "
                             "'%1' AND %2"_s.arg(tenant, where));
        }
        int stat(const QString &tenant, QLatin1StringView name) const
        {
            return routes[tenant].stats().value(name).toInt(-1);
        }
    };

    void publishToEach(Faults &f)
    {
        QList<test::HttpRequest> requests;
        for (const ReceiverRoute &r : std::as_const(f.routes))
            for (int i = 0; i < f.events; ++i)
                requests.append(ingest(f.agent->http, r.token,
                                       partitioned(u"%1-%2"_s.arg(r.tenant).arg(i), i)));
        for (const auto &answer : test::httpMany(requests, 16))
            QCOMPARE(answer.status, 202);
    }

    // A sub-case where every event is delivered in the end: reports it, checks the drain and
    // that its repeats are the ones unanswered attempts explain; returns the receiver's count
    // of the faults (`stat`).
    static int verifyAllDelivered(Faults &f, const QString &tenant, const QString &scenario,
                                  QLatin1StringView stat, const QString &faults)
    {
        const Tally t = tally(f.db, f.routes[tenant]);
        const int n = f.stat(tenant, stat);
        report(scenario, u"%1, %2 %3"_s.arg(t.figures()).arg(n).arg(faults));
        verifyDrained(t, f.events, f.events);
        if (tenant != "flost"_L1 && unexplainedRepeats(f.db, f.routes[tenant]) != 0) {
            QTest::qFail(qPrintable(attemptsOfRepeats(f.db, f.routes[tenant])), __FILE__, __LINE__);
            return -1;
        }
        return n;
    }

    void verifyFiveHundreds(Faults &f)
    {
        const int faults =
            verifyAllDelivered(f, u"f5xx"_s, u"receiver-5xx"_s, "failures"_L1, u"answers 503"_s);
        QVERIFY(faults > 0);
        // Each 503 is an attempt on record, but for those that reached the agent after its
        // timeout (under load): those are on record as unanswered.
        const int seen =
            f.attempts(u"f5xx"_s, u"a.status_code = 503 AND a.outcome = 'retryable'"_s).toInt();
        const int unanswered = f.attempts(u"f5xx"_s, u"a.status_code IS NULL"_s).toInt();
        QVERIFY2(seen <= faults && seen + unanswered >= faults,
                 qPrintable(u"%1 503s, %2 on record, %3 unanswered"_s.arg(faults).arg(seen).arg(
                     unanswered)));
    }

    void verifyTimeouts(Faults &f)
    {
        const int held = verifyAllDelivered(f, u"ftimeout"_s, u"receiver-timeout"_s, "hung"_L1,
                                            u"answers held past the webhook timeout"_s);
        QVERIFY(held > 0);
        // Each held answer cost an attempt (more: answers late for another reason).
        QVERIFY(f.attempts(u"ftimeout"_s, u"a.outcome <> 'succeeded'"_s).toInt() >= held);
    }

    void verifyRetryAfter(Faults &f)
    {
        const Tally t = tally(f.db, f.routes[u"f429"_s]);
        const int refusals = f.stat(u"f429"_s, "failures"_L1);
        // The attempt after each 429 started no earlier than Retry-After (2 s) after it ended.
        const QString gap = f.db.scalar(
            u"SELECT count(*) || ' ' || coalesce(min(extract(epoch FROM n.started_at - "
            "a.finished_at)), 0) FROM delivery_attempts a JOIN delivery_attempts n ON "
            "n.delivery_id = a.delivery_id AND n.attempt = a.attempt + 1 JOIN deliveries d ON "
            "d.id = a.delivery_id JOIN tenants t ON t.id = d.tenant_id WHERE t.name = 'f429' "
            "AND a.status_code = 429"_s);
        report(u"receiver-429"_s,
               u"%1, %2 answers 429 with Retry-After: 2, shortest wait %3 s"_s.arg(t.figures())
                   .arg(refusals)
                   .arg(gap.section(u' ', 1)));
        verifyDrained(t, f.events, f.events);
        QCOMPARE(unexplainedRepeats(f.db, f.routes[u"f429"_s]), 0);
        QVERIFY(refusals > 0);
        QCOMPARE(gap.section(u' ', 0, 0), QString::number(refusals));
        QVERIFY2(gap.section(u' ', 1).toDouble() >= 1.999, qPrintable(gap));
    }

    void verifyGone(Faults &f)
    {
        const Tally t = tally(f.db, f.routes[u"f410"_s]);
        const int gone = f.stat(u"f410"_s, "gone"_L1);
        const auto dead = [&](const QString &reason) {
            return f.db
                .scalar(u"SELECT count(*) FROM deliveries d JOIN tenants t ON t.id = "
                        "d.tenant_id WHERE t.name = 'f410' AND d.state = 'dead' AND "
                        "d.dead_reason = '%1'"_s.arg(reason))
                .toInt();
        };
        report(u"receiver-410"_s, u"%1, %2 answers 410, %3 events after it found no route, "
                                  "route disabled: %4"_s.arg(t.figures())
                                      .arg(gone)
                                      .arg(t.events - t.deliveries)
                                      .arg(f.db.scalar(u"SELECT NOT e.enabled FROM endpoints e "
                                                       "JOIN tenants t ON t.id = e.tenant_id "
                                                       "WHERE t.name = 'f410'"_s)));
        QCOMPARE(t.events, f.events);
        // The receiver processed half (a repeat counts), then answered 410.
        QCOMPARE(t.succeeded + t.repeated, f.events / 2);
        // The rest died with the route, but for events that came after it was disabled: those
        // found no route at all.
        QCOMPARE(t.dead, t.deliveries - t.succeeded);
        QCOMPARE(t.lost + t.reordered + t.queued + unexplainedRepeats(f.db, f.routes[u"f410"_s]),
                 0);
        QVERIFY(gone > 0);
        QCOMPARE(dead(u"endpoint_gone"_s), gone);
        QCOMPARE(dead(u"endpoint_disabled"_s), t.dead - gone);
        // No attempt after the 410s: the deliveries that died with the route were never sent.
        QCOMPARE(f.attempts(u"f410"_s, u"a.status_code = 410"_s), QString::number(gone));
        QCOMPARE(f.stat(u"f410"_s, "requests"_L1), f.stat(u"f410"_s, "deliveries"_L1) + gone);
        // And new events find no route.
        const auto late = test::http(
            ingest(f.agent->http, f.routes[u"f410"_s].token, partitioned(u"f410-late"_s, 0)));
        QCOMPARE(late.status, 202);
        QCOMPARE(tally(f.db, f.routes[u"f410"_s]).deliveries, t.deliveries);
    }

    void verifyLostResponses(Faults &f)
    {
        const int lost =
            verifyAllDelivered(f, u"flost"_s, u"receiver-lost-response"_s, "lost_responses"_L1,
                               u"responses lost after processing"_s);
        const Tally t = tally(f.db, f.routes[u"flost"_s]);
        QVERIFY(lost > 0);
        // Each retry carried the webhook-id of the attempt whose answer was lost, so the
        // receiver saw it as a repeat: one per lost response, and no second side effect.
        QVERIFY(t.repeated >= lost); // each lost answer made one repeat (more: timeouts)
        QCOMPARE(f.stat(u"flost"_s, "distinct_webhook_ids"_L1), f.events);
        // libcurl resends a request at once, on a fresh connection, when a reused connection
        // closes before any answer: the attempt record then shows one attempt where the
        // receiver saw two. The others show the lost answer as a failed attempt.
        const int seen = f.attempts(u"flost"_s, u"a.outcome <> 'succeeded'"_s).toInt();
        QVERIFY2(seen <= lost, qPrintable(QString::number(seen)));
    }

    // What the concurrent publishes of one key were told: how many were answered "stored" (202)
    // and under how many event ids; one and one when the key did its job.
    struct KeyAnswers
    {
        int stored = 0;
        int refused = 0;
        QSet<QString> eventIds;
    };

    static QString keyFigures(const QHash<QString, KeyAnswers> &answers, int &violations)
    {
        int refused = 0;
        violations = 0;
        for (const KeyAnswers &a : answers) {
            refused += a.refused;
            violations += a.stored != 1 || a.eventIds.size() != 1 ? 1 : 0;
        }
        return u"%1 keys with other than one stored event, %2 publishes refused"_s.arg(violations)
            .arg(refused);
    }

    // After the publishes: one event and one delivery per key, delivered once, nothing queued.
    void verifyOneEventPerKey(const test::TestDatabase &db, const ReceiverRoute &route,
                              const QString &scenario, const QHash<QString, KeyAnswers> &answers)
    {
        const int keys = int(answers.size());
        QTRY_COMPARE_WITH_TIMEOUT(openWork(db, route.tenant), u"0"_s, 180000);
        const Tally t = tally(db, route);
        int violations = 0;
        const QString figures = keyFigures(answers, violations);
        report(scenario, u"%1 keys x %2 concurrent publishes, %3, %4"_s.arg(keys)
                             .arg(kPublishesPerKey)
                             .arg(t.figures(), figures));
        QCOMPARE(violations, 0);
        verifyDrained(t, keys, keys);
        QCOMPARE(unexplainedRepeats(db, route), 0);
    }

    static constexpr int kPublishesPerKey = 50;

private Q_SLOTS:
    void sameKeyConcurrentlyOverHttp()
    {
        const int keys = longRun() ? 1000 : 100;
        Scene scene(u"keyhttp"_s, {});
        QVERIFY2(scene.ok(), qPrintable(scene.db.error()));
        const auto &[db, route, agent] = scene;
        // The publishes of one key are next to each other: all 50 are in flight together.
        QList<test::HttpRequest> requests;
        for (int k = 0; k < keys; ++k)
            for (int j = 0; j < kPublishesPerKey; ++j)
                requests.append(ingest(agent->http, route.token,
                                       partitioned(u"same-%1"_s.arg(k), k),
                                       "key-" + QByteArray::number(k)));
        const auto responses = test::httpMany(requests, kPublishesPerKey);
        QHash<QString, KeyAnswers> answers;
        for (qsizetype i = 0; i < responses.size(); ++i) {
            KeyAnswers &a = answers[QString::fromLatin1(requests[i].headers.last().second)];
            const auto body = QJsonDocument::fromJson(responses[i].body).object();
            a.stored += responses[i].status == 202 ? 1 : 0;
            a.refused += responses[i].status == 200 || responses[i].status == 202 ? 0 : 1;
            if (responses[i].status == 200 || responses[i].status == 202)
                a.eventIds.insert(body.value("event_id"_L1).toString());
        }
        verifyOneEventPerKey(db, route, u"same-key-http"_s, answers);
        QVERIFY(agent->process->terminate());
    }

    void sameKeyConcurrentlyOverZmq()
    {
        const int keys = longRun() ? 1000 : 100;
        Scene scene(u"keyzmq"_s, {});
        QVERIFY2(scene.ok(), qPrintable(scene.db.error()));
        const auto &[db, route, agent] = scene;
        Producer::Options options{test::addProducer(db.url(), u"keyzmq"_s, 0)};
        options.credentials.endpoints = {u"tcp://127.0.0.1:%1"_s.arg(agent->zmq)};
        Producer producer(options);
        QVERIFY(producer.start().ok());
        std::vector<std::pair<QString, std::future<PublishResult>>> pending;
        for (int k = 0; k < keys; ++k)
            for (int j = 0; j < kPublishesPerKey; ++j)
                pending.emplace_back(u"key-%1"_s.arg(k),
                                     producer.publish(partitioned(u"same-%1"_s.arg(k), k),
                                                      "key-" + QByteArray::number(k)));
        QHash<QString, KeyAnswers> answers;
        for (auto &[key, future] : pending) {
            const PublishResult r = future.get();
            KeyAnswers &a = answers[key];
            a.stored += r.status == 202 ? 1 : 0;
            a.refused += r.ok() ? 0 : 1;
            if (r.ok())
                a.eventIds.insert(r.eventId);
        }
        verifyOneEventPerKey(db, route, u"same-key-zmq"_s, answers);
        producer.close();
        QVERIFY(agent->process->terminate());
    }

    void receiverFaults()
    {
        Faults f;
        f.events = longRun() ? 2000 : 100;
        QVERIFY2(migrate(f.db), qPrintable(f.db.error()));
        const QStringList once{u"--max-failures-per-id"_s, u"1"_s};
        const QList<std::tuple<QString, QStringList, QStringList>> cases{
            {u"f5xx"_s,
             {u"--ordered"_s},
             {u"--fail-rate"_s, u"0.3"_s, u"--fail-status"_s, u"503"_s, u"--max-failures-per-id"_s,
              u"2"_s}},
            {u"ftimeout"_s, {}, QStringList{u"--hang-rate"_s, u"0.1"_s} + once},
            {u"f429"_s,
             {},
             QStringList{u"--fail-rate"_s, u"0.2"_s, u"--fail-status"_s, u"429"_s,
                         u"--retry-after"_s, u"2"_s} +
                 once},
            {u"f410"_s, {}, {u"--gone-after"_s, QString::number(f.events / 2)}},
            {u"flost"_s, {u"--ordered"_s}, QStringList{u"--lose-rate"_s, u"0.2"_s} + once}};
        for (const auto &[tenant, routeArgs, receiverArgs] : cases) {
            f.routes.insert(tenant,
                            ReceiverRoute::make(f.db.url(), tenant, routeArgs, receiverArgs));
            QVERIFY(!f.routes[tenant].tenant.isEmpty());
        }
        f.agent = std::make_unique<AgentProcess>(
            f.db.url(), QHash<QString, QString>{{u"FERRY_WEBHOOK_TIMEOUT"_s, u"2s"_s}});
        QVERIFY(f.agent->start());
        publishToEach(f);
        for (const auto &[tenant, routeArgs, receiverArgs] : cases)
            QTRY_COMPARE_WITH_TIMEOUT(openWork(f.db, tenant), u"0"_s, 180000);
        verifyFiveHundreds(f);
        verifyTimeouts(f);
        verifyRetryAfter(f);
        verifyGone(f);
        verifyLostResponses(f);
        QVERIFY(f.agent->process->terminate());
    }

    void producerConnectionCut()
    {
        const int events = longRun() ? 20000 : 1000;
        const int cuts = longRun() ? 40 : 8;
        Scene scene(u"cut"_s, {u"--ordered"_s});
        QVERIFY2(scene.ok(), qPrintable(scene.db.error()));
        const auto &[db, route, agent] = scene;
        CuttingProxy proxy(agent->zmq);
        QVERIFY(proxy.listen());
        Producer::Options options{test::addProducer(db.url(), u"cut"_s, 0)};
        options.credentials.endpoints = {u"tcp://127.0.0.1:%1"_s.arg(proxy.port())};
        options.resendAfter = std::chrono::milliseconds(500);
        Producer producer(options);
        QVERIFY(producer.start().ok());

        std::atomic<int> answered{0}, duplicates{0}, failed{0};
        const int midStream =
            publishThroughCuts(producer, proxy, events, cuts, answered, duplicates, failed);
        QTRY_COMPARE_WITH_TIMEOUT(answered + duplicates + failed, events, 180000);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(midStream, cuts); // every cut landed while requests were unanswered
        QVERIFY(duplicates > 0);   // answers were lost: the resends found their events stored
        QTRY_COMPARE_WITH_TIMEOUT(openWork(db, route.tenant), u"0"_s, 180000);
        const Tally t = tally(db, route);
        report(u"producer-cut"_s, u"%1 connection cuts mid-stream, %2, %3 resends answered as "
                                  "duplicates"_s.arg(midStream)
                                      .arg(t.figures())
                                      .arg(duplicates.load()));
        verifyDrained(t, events, events);
        QCOMPARE(unexplainedRepeats(db, route), 0);
        producer.close();
        QVERIFY(agent->process->terminate());
    }
};

QTEST_GUILESS_MAIN(TestChaosEdges)
#include "tst_chaos_edges.moc"
