// HTTP ingest against a real agent process and a real PostgreSQL: acknowledgement semantics,
// dedupe, every documented refusal, routing in the event's transaction, and concurrency.
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestHttpIngest : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    QString m_token;
    quint16 m_port = 0;

    test::HttpRequest post(const QByteArray &body,
                           const QByteArray &contentType = "application/cloudevents+json",
                           QList<QPair<QByteArray, QByteArray>> extra = {}) const
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_port);
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + m_token.toUtf8()},
                     {"Content-Type", contentType}};
        r.headers += extra;
        return r;
    }
    static QJsonObject json(const test::HttpResponse &r)
    {
        return QJsonDocument::fromJson(r.body).object();
    }
    QString count(const char *table) const
    {
        return m_db->scalar(u"SELECT count(*) FROM %1"_s.arg(QLatin1StringView(table)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"httpingest"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        m_token = test::createTenant(m_db->url(), u"shop"_s);
        QVERIFY(m_token.startsWith(u"fpt_"_s));
        // Receivers that do not exist: deliveries are created and stay in the retry loop.
        const QString all = test::addEndpoint(m_db->url(), u"shop"_s, u"http://127.0.0.1:9/all"_s);
        const QString paid = test::addEndpoint(m_db->url(), u"shop"_s, u"http://127.0.0.1:9/paid"_s,
                                               u"order.paid"_s);
        QVERIFY(all.startsWith(u"whsec_"_s) && paid.startsWith(u"whsec_"_s));

        m_port = test::freePort();
        auto env = test::agentEnvironment(m_db->url(), m_port);
        env.insert(u"FERRY_HTTP_MAX_BODY_BYTES"_s, u"4096"_s);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_port), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
        m_agent.reset();
        m_db.reset();
    }

    void acceptedThenDuplicateThenConflict()
    {
        const auto first = test::http(post(test::cloudEvent(u"order-1"_s)));
        QCOMPARE(first.status, 202);
        const QString eventId = json(first).value("event_id"_L1).toString();
        QVERIFY(!eventId.isEmpty());
        QCOMPARE(json(first).value("duplicate"_L1).toBool(), false);
        // The answer is written directly; it must stay the compact JSON of the documented form.
        QCOMPARE(QJsonDocument(json(first)).toJson(QJsonDocument::Compact), first.body);
        QCOMPARE(json(first).keys(), (QStringList{u"duplicate"_s, u"event_id"_s}));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE id = '%1'"_s.arg(eventId)),
                 u"1"_s);
        // Routing v0 ran in the same transaction: the catch-all endpoint, not 'order.paid'.
        QCOMPARE(
            m_db->scalar(u"SELECT count(*) FROM deliveries WHERE event_id = '%1'"_s.arg(eventId)),
            u"1"_s);

        // Same content again, even with other whitespace: 200, duplicate, the original id.
        const auto again = test::http(post(
            R"({ "specversion":"1.0", "id":"order-1", "source":"/tests", "type":"order.created", "data":{"n":1} })"));
        QCOMPARE(again.status, 200);
        QCOMPARE(json(again).value("duplicate"_L1).toBool(), true);
        QCOMPARE(json(again).value("event_id"_L1).toString(), eventId);
        QCOMPARE(QJsonDocument(json(again)).toJson(QJsonDocument::Compact), again.body);

        // Same key, different content: 422, nothing written.
        const QString events = count("events");
        const auto conflict =
            test::http(post(test::cloudEvent(u"order-1"_s, u"order.created"_s, u"{\"n\":2}"_s)));
        QCOMPARE(conflict.status, 422);
        QCOMPARE(conflict.headers.value("content-type"), QByteArray("application/problem+json"));
        QCOMPARE(json(conflict).value("event_id"_L1).toString(), eventId);
        QCOMPARE(count("events"), events);
    }

    void routesByEventType()
    {
        const auto r = test::http(post(test::cloudEvent(u"pay-1"_s, u"order.paid"_s)));
        QCOMPARE(r.status, 202);
        const QString id = json(r).value("event_id"_L1).toString();
        QCOMPARE(m_db->scalar(u"SELECT string_agg(ep.url, ',' ORDER BY ep.url) FROM deliveries d "
                              "JOIN endpoints ep ON ep.id = d.endpoint_id WHERE d.event_id = "
                              "'%1'"_s.arg(id)),
                 u"http://127.0.0.1:9/all,http://127.0.0.1:9/paid"_s);
    }

    void attributesAndDataAreStoredExactly()
    {
        // Quotes, backslashes, a tab, non-ASCII text and an emoji in the attributes and the
        // data: what the event store holds is exactly what was sent.
        const QJsonObject event{
            {u"specversion"_s, u"1.0"_s},
            {u"id"_s, u"q\"uo\\te\tü-✓-😀"_s},
            {u"source"_s, u"/shop/eu%22%5C1"_s},
            {u"type"_s, u"order.créé"_s},
            {u"partitionkey"_s, u"kunde \"7\""_s},
            {u"data"_s, QJsonObject{{u"name"_s, u"Zoë \"Z\" \\ 😀"_s}, {u"n"_s, 1.5}}}};
        const auto r = test::http(post(QJsonDocument(event).toJson(QJsonDocument::Compact)));
        QCOMPARE(r.status, 202);
        const QString id = json(r).value("event_id"_L1).toString();
        QCOMPARE(m_db->scalar(u"SELECT ce_id FROM events WHERE id = '%1'"_s.arg(id)),
                 event.value("id"_L1).toString());
        QCOMPARE(m_db->scalar(u"SELECT source FROM events WHERE id = '%1'"_s.arg(id)),
                 event.value("source"_L1).toString());
        QCOMPARE(m_db->scalar(u"SELECT type FROM events WHERE id = '%1'"_s.arg(id)),
                 event.value("type"_L1).toString());
        QCOMPARE(m_db->scalar(u"SELECT partition_key FROM events WHERE id = '%1'"_s.arg(id)),
                 event.value("partitionkey"_L1).toString());
        QCOMPARE(
            m_db->scalar(u"SELECT payload->'data'->>'name' FROM events WHERE id = '%1'"_s.arg(id)),
            u"Zoë \"Z\" \\ 😀"_s);
        // And a resend is recognised as the same event.
        const auto again = test::http(post(QJsonDocument(event).toJson()));
        QCOMPARE(again.status, 200);
        QCOMPARE(json(again).value("event_id"_L1).toString(), id);
    }

    void idempotencyKeyHeaderOverridesSourceAndId()
    {
        const QByteArray key = "checkout-77";
        const auto a = test::http(post(test::cloudEvent(u"k-1"_s), "application/cloudevents+json",
                                       {{"Idempotency-Key", key}}));
        QCOMPARE(a.status, 202);
        const auto b = test::http(post(test::cloudEvent(u"k-1"_s), "application/cloudevents+json",
                                       {{"Idempotency-Key", key}}));
        QCOMPARE(b.status, 200);
        QCOMPARE(json(b).value("event_id"_L1), json(a).value("event_id"_L1));
        // Another event under the same key is a conflict, though its source and id are new.
        const auto c = test::http(post(test::cloudEvent(u"k-2"_s), "application/cloudevents+json",
                                       {{"Idempotency-Key", key}}));
        QCOMPARE(c.status, 422);
    }

    void refusalsChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        const QByteArray ok = test::cloudEvent(u"refused"_s);
        QTest::newRow("no token") << ok << QByteArray("application/cloudevents+json")
                                  << QByteArray() << 401 << u"Authorization: Bearer"_s;
        QTest::newRow("unknown token")
            << ok << QByteArray("application/cloudevents+json") << QByteArray("Bearer fpt_nope")
            << 401 << u"unknown or revoked"_s;
        QTest::newRow("wrong media type") << ok << QByteArray("application/json") << QByteArray()
                                          << 415 << u"application/cloudevents+json"_s;
        QTest::newRow("too large")
            << test::cloudEvent(u"big"_s, u"t"_s, u"\"%1\""_s.arg(QString(5000, u'x')))
            << QByteArray("application/cloudevents+json") << QByteArray() << 413
            << u"at most 4096 bytes"_s;
        QTest::newRow("malformed json")
            << QByteArray("{\"specversion\": ") << QByteArray("application/cloudevents+json")
            << QByteArray() << 400 << u"not valid JSON"_s;
        QTest::newRow("missing type")
            << QByteArray(R"({"specversion":"1.0","id":"x","source":"/s"})")
            << QByteArray("application/cloudevents+json") << QByteArray() << 400
            << u"missing required attribute 'type'"_s;
        QTest::newRow("batch not array")
            << QByteArray("{}") << QByteArray("application/cloudevents-batch+json") << QByteArray()
            << 400 << u"JSON array"_s;
    }

    void refusalsChangeNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const QString events = count("events");
        const QString keys = count("ingest_keys");
        auto request = post(body, contentType);
        if (QByteArrayView(QTest::currentDataTag()) == "no token")
            request.headers.removeFirst();
        else if (!authorization.isEmpty())
            request.headers[0].second = authorization;
        const auto r = test::http(request);
        QCOMPARE(r.status, status);
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/problem+json"));
        // One line that ends, so what a terminal prints next (curl, then the prompt) does not
        // run on after the message.
        QVERIFY2(r.body.endsWith('\n') && r.body.count('\n') == 1, r.body.constData());
        const QJsonObject problem = json(r);
        QCOMPARE(problem.value("status"_L1).toInt(), status);
        QVERIFY(problem.value("type"_L1).toString().startsWith(u"urn:ferry:problem:"_s));
        QVERIFY2(problem.value("detail"_L1).toString().contains(mentions), r.body.constData());
        QCOMPARE(count("events"), events);
        QCOMPARE(count("ingest_keys"), keys);
    }

    void batchAnswersPerItem()
    {
        const QByteArray body = "[" + test::cloudEvent(u"b-1"_s) + "," +
                                test::cloudEvent(u"order-1"_s) + "," +
                                R"({"specversion":"1.0","source":"/s","type":"t"})" + "," +
                                test::cloudEvent(u"b-1"_s) + "]";
        const auto r = test::http(post(body, "application/cloudevents-batch+json"));
        QCOMPARE(r.status, 200);
        const QJsonArray results = json(r).value("results"_L1).toArray();
        QCOMPARE(results.size(), 4);
        QCOMPARE(results[0].toObject().value("status"_L1).toInt(), 202);
        QCOMPARE(results[1].toObject().value("status"_L1).toInt(), 200); // from an earlier test
        QCOMPARE(results[2].toObject().value("status"_L1).toInt(), 400);
        QVERIFY(results[2].toObject().value("detail"_L1).toString().contains(u"'id'"_s));
        QCOMPARE(results[3].toObject().value("status"_L1).toInt(), 200); // same batch, same key
        QCOMPARE(results[3].toObject().value("event_id"_L1),
                 results[0].toObject().value("event_id"_L1));
    }

    void aNulEventSpoilsNothingInItsBatch()
    {
        // A NUL (a raw 0x00 byte, or the \u0000 escape) cannot be stored: refused at validation,
        // in any position, while the rest of its batch is stored as usual.
        const QList<QByteArray> nuls{QByteArray(1, '\0'), QByteArray("\\u0000")};
        for (qsizetype kind = 0; kind < nuls.size(); ++kind) {
            for (int bad = 0; bad < 5; ++bad) {
                QByteArrayList items;
                for (int i = 0; i < 5; ++i)
                    items.append(
                        i == bad ? "{\"specversion\":\"1.0\",\"id\":\"nul\","
                                   "\"source\":\"/s\",\"type\":\"t\",\"data\":\"a" +
                                       nuls[kind] + "b\"}"
                                 : test::cloudEvent(u"nul-%1-%2-%3"_s.arg(kind).arg(bad).arg(i)));
                const QString before = count("events");
                const auto r = test::http(
                    post("[" + items.join(',') + "]", "application/cloudevents-batch+json"));
                QCOMPARE(r.status, 200);
                const QJsonArray results = json(r).value("results"_L1).toArray();
                QCOMPARE(results.size(), 5);
                for (int i = 0; i < 5; ++i)
                    QCOMPARE(results[i].toObject().value("status"_L1).toInt(),
                             i == bad ? 400 : 202);
                QVERIFY(results[bad]
                            .toObject()
                            .value("detail"_L1)
                            .toString()
                            .contains(u"NUL character"_s));
                QCOMPARE(count("events").toInt(), before.toInt() + 4);
            }
        }
    }

    void concurrentSameKeyPostsCreateOneEventEach()
    {
        // 50 concurrent posts for each of 100 keys, interleaved, 64 connections in flight.
        const QString before = count("events");
        QList<test::HttpRequest> requests;
        for (int copy = 0; copy < 50; ++copy) {
            for (int key = 0; key < 100; ++key)
                requests.append(post(test::cloudEvent(u"race-%1"_s.arg(key))));
        }
        const auto responses = test::httpMany(requests, 64);
        QHash<QString, QSet<QString>> idsByKey;
        int created = 0;
        for (qsizetype i = 0; i < responses.size(); ++i) {
            const auto &r = responses[i];
            QVERIFY2(r.status == 202 || r.status == 200, qPrintable(u"%1 %2 %3"_s.arg(r.status).arg(
                                                             r.error, QString::fromUtf8(r.body))));
            created += r.status == 202 ? 1 : 0;
            idsByKey[QString::number(i % 100)].insert(json(r).value("event_id"_L1).toString());
        }
        QCOMPARE(created, 100);
        for (const auto &ids : std::as_const(idsByKey))
            QCOMPARE(ids.size(), 1); // every duplicate names the original event
        QCOMPARE(count("events").toInt(), before.toInt() + 100);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id LIKE 'race-%'"_s),
                 u"100"_s);
    }
};

QTEST_GUILESS_MAIN(TestHttpIngest)
#include "tst_httpingest.moc"
