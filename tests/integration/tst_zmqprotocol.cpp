// The ZeroMQ ingest protocol frame by frame (docs/protocol.md), against a real agent: every
// malformed request gets the documented NACK, nothing is written, the agent stays up; CURVE
// refuses unknown and revoked keys; plain mode needs a token; without its ZAP handler the
// agent does not listen at all.
#include "agent/ingest/batchwriter.h"
#include "agent/ingest/zmqingest.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include <zmq.h>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestZmqProtocol : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    quint16 m_httpPort = 0;
    quint16 m_zmqPort = 0;
    ProducerCredentials m_creds;
    std::unique_ptr<test::ZmqClient> m_client;
    int m_next = 0;

    QString endpoint() const { return u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort); }
    QString events() const { return m_db->scalar(u"SELECT count(*) FROM events"_s); }

    // Sends frames after the version and request id; returns {kind, body} of the answer.
    QPair<QByteArray, QJsonObject> request(const QList<QByteArray> &rest,
                                           const QByteArray &version = "ferry/1",
                                           test::ZmqClient *client = nullptr)
    {
        client = client ? client : m_client.get();
        const QByteArray id = "req-" + QByteArray::number(++m_next);
        if (!client->send(QList<QByteArray>{version, id} + rest))
            return {};
        const auto reply = client->receive(10000);
        if (reply.size() != 4 || reply[0] != "ferry/1" || reply[1] != id)
            return {"NO ANSWER", {}};
        return {reply[2], QJsonDocument::fromJson(reply[3]).object()};
    }

    struct Answer2
    {
        QByteArray requestId;
        QByteArray kind;
        QJsonObject body;
        QByteArray raw; // the whole frame
    };
    // ferry/2: sends `header` (the first frame) and the event frames; reads the one-frame
    // answer "ferry/2 <request id> <ACK|NACK> <JSON>". An empty kind: no answer, or one of
    // another form.
    Answer2 request2(const QByteArray &header, const QList<QByteArray> &events,
                     test::ZmqClient *client = nullptr)
    {
        client = client ? client : m_client.get();
        if (!client->send(QList<QByteArray>{header} + events))
            return {};
        const auto reply = client->receive(10000);
        if (reply.size() != 1 || !reply[0].startsWith("ferry/2 "))
            return {};
        const QList<QByteArray> parts = reply[0].mid(8).split(' ');
        if (parts.size() < 3)
            return {};
        Answer2 a{parts[0], parts[1], {}, reply[0]};
        const qsizetype bodyAt = 8 + parts[0].size() + 1 + parts[1].size() + 1;
        a.body = QJsonDocument::fromJson(reply[0].mid(bodyAt)).object();
        return a;
    }
    QByteArray nextId() { return "r2-" + QByteArray::number(++m_next); }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"zmqprotocol"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        QVERIFY(!test::createTenant(m_db->url(), u"zed"_s).isEmpty());
        m_httpPort = test::freePort();
        m_zmqPort = test::freePort();
        m_creds = test::addProducer(m_db->url(), u"zed"_s, m_zmqPort);
        QCOMPARE(m_creds.publicKey.size(), 40);
        auto env = test::agentEnvironment(m_db->url(), m_httpPort, m_zmqPort);
        env.insert(u"FERRY_ZMQ_MAX_MESSAGE_BYTES"_s, u"4096"_s);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(m_agent->output()));
        m_client = std::make_unique<test::ZmqClient>(endpoint(), m_creds);
    }

    void cleanupTestCase()
    {
        m_client.reset();
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void publishDuplicateConflict()
    {
        auto a = request({"PUB", {}, test::cloudEvent(u"z-1"_s)});
        QCOMPARE(a.first, QByteArray("ACK"));
        QCOMPARE(a.second.value("status"_L1).toInt(), 202);
        const QString id = a.second.value("event_id"_L1).toString();
        QVERIFY(!id.isEmpty());
        auto b = request({"PUB", {}, test::cloudEvent(u"z-1"_s)});
        QCOMPARE(b.first, QByteArray("ACK"));
        QCOMPARE(b.second.value("status"_L1).toInt(), 200);
        QCOMPARE(b.second.value("duplicate"_L1).toBool(), true);
        QCOMPARE(b.second.value("event_id"_L1).toString(), id);
        auto c = request({"PUB", {}, test::cloudEvent(u"z-1"_s, u"t"_s, u"2"_s)});
        QCOMPARE(c.first, QByteArray("NACK"));
        QCOMPARE(c.second.value("status"_L1).toInt(), 422);
        // An idempotency key in the options frame overrides source and id.
        auto d = request({"PUB", R"({"idempotency_key":"k-9"})", test::cloudEvent(u"z-2"_s)});
        QCOMPARE(d.second.value("status"_L1).toInt(), 202);
        auto e = request({"PUB", R"({"idempotency_key":"k-9"})", test::cloudEvent(u"z-3"_s)});
        QCOMPARE(e.second.value("status"_L1).toInt(), 422);
        QCOMPARE(events(), u"2"_s);
    }

    void batchAnswersPerItem()
    {
        auto r = request({"BATCH",
                          {},
                          test::cloudEvent(u"zb-1"_s),
                          "{oops",
                          test::cloudEvent(u"z-1"_s),
                          test::cloudEvent(u"zb-1"_s)});
        QCOMPARE(r.first, QByteArray("ACK"));
        const auto results = r.second.value("results"_L1).toArray();
        QCOMPARE(results.size(), 4);
        QCOMPARE(results[0].toObject().value("status"_L1).toInt(), 202);
        QCOMPARE(results[1].toObject().value("status"_L1).toInt(), 400);
        QCOMPARE(results[2].toObject().value("status"_L1).toInt(), 200);
        QCOMPARE(results[3].toObject().value("status"_L1).toInt(), 200);
        QCOMPARE(events(), u"3"_s);
    }

    void aStoredBatchIsAnsweredInCompactJson()
    {
        // The usual answers are written without a JSON library: they must be the very bytes
        // the JSON path gives (compact, keys sorted), item by item, as docs/protocol.md shows.
        const QByteArray id = "req-" + QByteArray::number(++m_next);
        QVERIFY(m_client->send({"ferry/1",
                                id,
                                "BATCH",
                                {},
                                test::cloudEvent(u"zc-1"_s),
                                test::cloudEvent(u"zc-2"_s),
                                test::cloudEvent(u"zc-1"_s)}));
        const auto reply = m_client->receive(10000);
        QCOMPARE(reply.size(), 4);
        QCOMPARE(reply[2], QByteArray("ACK"));
        const QJsonObject body = QJsonDocument::fromJson(reply[3]).object();
        QCOMPARE(QJsonDocument(body).toJson(QJsonDocument::Compact), reply[3]);
        const auto results = body.value("results"_L1).toArray();
        QCOMPARE(results.size(), 3);
        QCOMPARE(results[0].toObject().keys(),
                 (QStringList{u"duplicate"_s, u"event_id"_s, u"status"_s}));
        QCOMPARE(results[2].toObject().value("status"_L1).toInt(), 200);
        QCOMPARE(results[2].toObject().value("duplicate"_L1).toBool(), true);
        QCOMPARE(results[2].toObject().value("event_id"_L1),
                 results[0].toObject().value("event_id"_L1));

        const QByteArray single = "req-" + QByteArray::number(++m_next);
        QVERIFY(m_client->send({"ferry/1", single, "PUB", {}, test::cloudEvent(u"zc-3"_s)}));
        const auto one = m_client->receive(10000);
        QCOMPARE(one.size(), 4);
        QCOMPARE(QJsonDocument::fromJson(one[3]).toJson(QJsonDocument::Compact), one[3]);
    }

    void ferry2PublishesInOneHeaderFrame()
    {
        // The same commands as ferry/1, with version, request id, command and options in one
        // header frame and the answer in one frame.
        const QByteArray id = nextId();
        auto a = request2("ferry/2 " + id + " PUB", {test::cloudEvent(u"v2-1"_s)});
        QCOMPARE(a.requestId, id);
        QCOMPARE(a.kind, QByteArray("ACK"));
        QCOMPARE(a.body.value("status"_L1).toInt(), 202);
        const QString eventId = a.body.value("event_id"_L1).toString();
        QCOMPARE(m_db->scalar(u"SELECT ce_id FROM events WHERE id = '%1'"_s.arg(eventId)),
                 u"v2-1"_s);
        // The usual answer is compact JSON with sorted keys, as the JSON path writes it.
        QCOMPARE(a.raw,
                 "ferry/2 " + id + " ACK " + QJsonDocument(a.body).toJson(QJsonDocument::Compact));

        auto dup = request2("ferry/2 " + nextId() + " PUB", {test::cloudEvent(u"v2-1"_s)});
        QCOMPARE(dup.kind, QByteArray("ACK"));
        QCOMPARE(dup.body.value("status"_L1).toInt(), 200);
        QCOMPARE(dup.body.value("duplicate"_L1).toBool(), true);
        QCOMPARE(dup.body.value("event_id"_L1).toString(), eventId);

        // Options follow the command after one space: the idempotency key.
        auto keyed = request2("ferry/2 " + nextId() + R"( PUB {"idempotency_key":"v2-k"})",
                              {test::cloudEvent(u"v2-2"_s)});
        QCOMPARE(keyed.body.value("status"_L1).toInt(), 202);
        auto conflict = request2("ferry/2 " + nextId() + R"( PUB {"idempotency_key":"v2-k"})",
                                 {test::cloudEvent(u"v2-3"_s)});
        QCOMPARE(conflict.kind, QByteArray("NACK"));
        QCOMPARE(conflict.body.value("status"_L1).toInt(), 422);
        QCOMPARE(conflict.body.value("event_id"_L1),
                 keyed.body.value("event_id"_L1)); // names the original

        const QByteArray batchId = nextId();
        auto batch = request2("ferry/2 " + batchId + " BATCH",
                              {test::cloudEvent(u"v2-b1"_s), "{oops", test::cloudEvent(u"v2-1"_s)});
        QCOMPARE(batch.requestId, batchId);
        QCOMPARE(batch.kind, QByteArray("ACK"));
        const auto results = batch.body.value("results"_L1).toArray();
        QCOMPARE(results.size(), 3);
        QCOMPARE(results[0].toObject().value("status"_L1).toInt(), 202);
        QCOMPARE(results[1].toObject().value("status"_L1).toInt(), 400);
        QCOMPARE(results[2].toObject().value("status"_L1).toInt(), 200);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id LIKE 'v2-%'"_s), u"3"_s);
    }

    void malformedFerry2RequestsGetTheDocumentedNack_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QList<QByteArray>>("events");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        const QByteArray ok = test::cloudEvent(u"never2"_s);
        QTest::newRow("no event frame") << QByteArray("ferry/2 %ID% PUB") << QList<QByteArray>{}
                                        << 400 << u"at least 2 frames"_s;
        QTest::newRow("no command")
            << QByteArray("ferry/2 %ID%") << QList<QByteArray>{ok} << 400 << u"no command"_s;
        QTest::newRow("empty command")
            << QByteArray("ferry/2 %ID% ") << QList<QByteArray>{ok} << 400 << u"no command"_s;
        QTest::newRow("two events in PUB")
            << QByteArray("ferry/2 %ID% PUB") << QList<QByteArray>{ok, ok} << 400
            << u"exactly one event frame"_s;
        QTest::newRow("unknown command") << QByteArray("ferry/2 %ID% SEND") << QList<QByteArray>{ok}
                                         << 400 << u"PUB (one event) or BATCH"_s;
        QTest::newRow("lowercase command")
            << QByteArray("ferry/2 %ID% pub") << QList<QByteArray>{ok} << 400
            << u"the header's third field"_s;
        QTest::newRow("bad options") << QByteArray("ferry/2 %ID% PUB [1]") << QList<QByteArray>{ok}
                                     << 400 << u"the header's options"_s;
        QTest::newRow("options not JSON")
            << QByteArray("ferry/2 %ID% PUB idempotency_key=a") << QList<QByteArray>{ok} << 400
            << u"the header's options"_s;
        QTest::newRow("key in a batch")
            << QByteArray(R"(ferry/2 %ID% BATCH {"idempotency_key":"b"})") << QList<QByteArray>{ok}
            << 400 << u"applies to PUB"_s;
        QTest::newRow("invalid json")
            << QByteArray("ferry/2 %ID% PUB") << QList<QByteArray>{"{\"specversion\":"} << 400
            << u"not valid JSON"_s;
        QTest::newRow("missing attribute")
            << QByteArray("ferry/2 %ID% PUB")
            << QList<QByteArray>{R"({"specversion":"1.0","id":"x","type":"t"})"} << 400
            << u"'source'"_s;
        QTest::newRow("oversize") << QByteArray("ferry/2 %ID% PUB")
                                  << QList<QByteArray>{test::cloudEvent(
                                         u"big"_s, u"t"_s, u"\"%1\""_s.arg(QString(5000, u'x')))}
                                  << 413 << u"at most 4096 bytes"_s;
    }

    void malformedFerry2RequestsGetTheDocumentedNack()
    {
        QFETCH(QByteArray, header);
        QFETCH(QList<QByteArray>, events);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const QString before = this->events();
        const QByteArray id = nextId();
        const auto r = request2(QByteArray(header).replace("%ID%", id), events);
        QCOMPARE(r.requestId, id);
        QCOMPARE(r.kind, QByteArray("NACK"));
        QCOMPARE(r.body.value("status"_L1).toInt(), status);
        QVERIFY2(r.body.value("detail"_L1).toString().contains(mentions),
                 qPrintable(r.body.value("detail"_L1).toString()));
        QCOMPARE(this->events(), before);
    }

    void ferry2RequestIdsAreVisibleAscii_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("missing") << QByteArray("ferry/2");
        QTest::newRow("empty") << QByteArray("ferry/2  PUB");
        QTest::newRow("control character") << QByteArray("ferry/2 a\tb PUB");
        QTest::newRow("not ASCII") << QByteArray("ferry/2 caf\xc3\xa9 PUB");
        QTest::newRow("65 characters") << "ferry/2 " + QByteArray(65, 'i') + " PUB";
    }

    void ferry2RequestIdsAreVisibleAscii()
    {
        // An id that cannot be echoed between the spaces of the answer is refused, and the
        // answer carries an empty request id.
        QFETCH(QByteArray, header);
        const QString before = events();
        QVERIFY(m_client->send({header, test::cloudEvent(u"never3"_s)}));
        const auto reply = m_client->receive();
        QCOMPARE(reply.size(), 1);
        QVERIFY2(reply[0].startsWith("ferry/2  NACK {"), reply[0].constData());
        const auto body = QJsonDocument::fromJson(reply[0].mid(14)).object();
        QCOMPARE(body.value("status"_L1).toInt(), 400);
        QVERIFY(body.value("detail"_L1).toString().contains(u"visible ASCII characters"_s));
        QCOMPARE(events(), before);

        // 64 visible characters are fine.
        const QByteArray longest(64, '~');
        auto ok = request2("ferry/2 " + longest + " PUB", {test::cloudEvent(u"v2-long"_s)});
        QCOMPARE(ok.requestId, longest);
        QVERIFY(ok.kind == "ACK");
    }

    void malformedRequestsGetTheDocumentedNack_data()
    {
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<QList<QByteArray>>("rest");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        const QByteArray ok = test::cloudEvent(u"never"_s);
        QTest::newRow("unknown version")
            << QByteArray("ferry/9") << QList<QByteArray>{"PUB", {}, ok} << 400
            << u"this agent speaks ferry/1 and ferry/2"_s;
        QTest::newRow("unknown version with a header")
            << QByteArray("ferry/3 r PUB") << QList<QByteArray>{"PUB", {}, ok} << 400
            << u"this agent speaks ferry/1 and ferry/2"_s;
        QTest::newRow("ferry/1 with a header")
            << QByteArray("ferry/1 r PUB") << QList<QByteArray>{"PUB", {}, ok} << 400
            << u"first frame is exactly 'ferry/1'"_s;
        QTest::newRow("too few frames")
            << QByteArray("ferry/1") << QList<QByteArray>{"PUB"} << 400 << u"at least 5 frames"_s;
        QTest::newRow("no options frame") << QByteArray("ferry/1") << QList<QByteArray>{"PUB", ok}
                                          << 400 << u"at least 5 frames"_s;
        QTest::newRow("two events in PUB")
            << QByteArray("ferry/1") << QList<QByteArray>{"PUB", {}, ok, ok} << 400
            << u"exactly one event frame"_s;
        QTest::newRow("unknown command")
            << QByteArray("ferry/1") << QList<QByteArray>{"SEND", {}, ok} << 400
            << u"PUB (one event) or BATCH"_s;
        QTest::newRow("bad options") << QByteArray("ferry/1") << QList<QByteArray>{"PUB", "[1]", ok}
                                     << 400 << u"frame 4 is empty or a JSON object"_s;
        QTest::newRow("invalid json")
            << QByteArray("ferry/1") << QList<QByteArray>{"PUB", {}, "{\"specversion\":"} << 400
            << u"not valid JSON"_s;
        QTest::newRow("missing attribute")
            << QByteArray("ferry/1")
            << QList<QByteArray>{"PUB", {}, R"({"specversion":"1.0","id":"x","type":"t"})"} << 400
            << u"'source'"_s;
        QTest::newRow("oversize") << QByteArray("ferry/1")
                                  << QList<QByteArray>{"PUB",
                                                       {},
                                                       test::cloudEvent(
                                                           u"big"_s, u"t"_s,
                                                           u"\"%1\""_s.arg(QString(5000, u'x')))}
                                  << 413 << u"at most 4096 bytes"_s;
    }

    void malformedRequestsGetTheDocumentedNack()
    {
        QFETCH(QByteArray, version);
        QFETCH(QList<QByteArray>, rest);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const QString before = events();
        const auto r = request(rest, version);
        QCOMPARE(r.first, QByteArray("NACK"));
        QCOMPARE(r.second.value("status"_L1).toInt(), status);
        QVERIFY2(r.second.value("detail"_L1).toString().contains(mentions),
                 qPrintable(r.second.value("detail"_L1).toString()));
        if (version != "ferry/1")
            QCOMPARE(r.second.value("supported_versions"_L1).toArray(),
                     (QJsonArray{u"ferry/1"_s, u"ferry/2"_s}));
        QCOMPARE(events(), before);
    }

    void emptyRequestIdIsRefused()
    {
        QVERIFY(m_client->send({"ferry/1", {}, "PUB", {}, test::cloudEvent(u"x"_s)}));
        const auto reply = m_client->receive();
        QCOMPARE(reply.size(), 4);
        QCOMPARE(reply[2], QByteArray("NACK"));
        QVERIFY(reply[3].contains("request id"));
        QCOMPARE(test::http({"GET", u"http://127.0.0.1:%1/healthz"_s.arg(m_httpPort), {}, {}, {}})
                     .status,
                 200); // still up after all of the above
    }

    void unknownKeyIsRefused()
    {
        ProducerCredentials stranger = m_creds;
        char pub[41], sec[41];
        zmq_curve_keypair(pub, sec);
        stranger.publicKey = QByteArray(pub, 40);
        stranger.secretKey = QByteArray(sec, 40);
        test::ZmqClient client(endpoint(), stranger);
        QCOMPARE(client.waitForEvent(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 10000),
                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
        client.send({"ferry/1", "r", "PUB", {}, test::cloudEvent(u"stranger"_s)});
        QVERIFY(client.receive(1500).isEmpty());
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id = 'stranger'"_s), u"0"_s);
    }

    void revokedKeyIsDisconnectedAndRefused()
    {
        const ProducerCredentials doomed = test::addProducer(m_db->url(), u"zed"_s, m_zmqPort);
        // The new key is picked up by the agent's key refresh; until then libzmq refuses the
        // handshake for good, so each try uses a new connection.
        std::unique_ptr<test::ZmqClient> connected;
        QPair<QByteArray, QJsonObject> r;
        for (int i = 0; i < 20 && r.first != "ACK"; ++i) {
            connected = std::make_unique<test::ZmqClient>(endpoint(), doomed);
            r = request({"PUB", {}, test::cloudEvent(u"doomed-1"_s)}, "ferry/1", connected.get());
        }
        QCOMPARE(r.first, QByteArray("ACK"));
        test::ZmqClient &client = *connected;

        auto revoke = test::run(test::agentBinary(),
                                {u"producer"_s, u"revoke"_s, QString::fromLatin1(doomed.publicKey)},
                                {{u"FERRY_DATABASE_URL"_s, m_db->url()}});
        QCOMPARE(revoke.exitCode, 0);
        QVERIFY(client.waitForEvent(ZMQ_EVENT_DISCONNECTED, 10000) != 0);
        QCOMPARE(client.waitForEvent(ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 10000),
                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
        client.send({"ferry/1", "late", "PUB", {}, test::cloudEvent(u"doomed-2"_s)});
        QVERIFY(client.receive(1500).isEmpty());
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE ce_id = 'doomed-2'"_s), u"0"_s);
        // Other producers reconnect by themselves and carry on.
        QPair<QByteArray, QJsonObject> after;
        for (int i = 0; i < 20 && after.first != "ACK"; ++i)
            after = request({"PUB", {}, test::cloudEvent(u"survivor"_s)});
        QCOMPARE(after.first, QByteArray("ACK"));
    }

    void plainModeNeedsAToken()
    {
        const QString token = test::createTenant(m_db->url(), u"plain"_s);
        const quint16 http = test::freePort(), zmqPort = test::freePort();
        auto env = test::agentEnvironment(m_db->url(), http, zmqPort);
        env.insert(u"FERRY_ZMQ_CURVE"_s, u"false"_s);
        test::Process agent(test::agentBinary(), {u"run"_s}, env);
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(http), qPrintable(agent.output()));
        test::ZmqClient client(u"tcp://127.0.0.1:%1"_s.arg(zmqPort), {});
        auto refused = request({"PUB", {}, test::cloudEvent(u"p-1"_s)}, "ferry/1", &client);
        QCOMPARE(refused.first, QByteArray("NACK"));
        QCOMPARE(refused.second.value("status"_L1).toInt(), 401);
        auto wrong = request({"PUB", R"({"token":"fpt_wrong"})", test::cloudEvent(u"p-1"_s)},
                             "ferry/1", &client);
        QCOMPARE(wrong.second.value("status"_L1).toInt(), 401);
        auto ok = request({"PUB", QJsonDocument(QJsonObject{{u"token"_s, token}}).toJson(),
                           test::cloudEvent(u"p-1"_s)},
                          "ferry/1", &client);
        QCOMPARE(ok.first, QByteArray("ACK"));
        // ferry/2 carries the token in the header's options.
        auto refused2 =
            request2("ferry/2 " + nextId() + " PUB", {test::cloudEvent(u"p-2"_s)}, &client);
        QCOMPARE(refused2.kind, QByteArray("NACK"));
        QCOMPARE(refused2.body.value("status"_L1).toInt(), 401);
        QVERIFY(refused2.body.value("detail"_L1).toString().contains(u"in the options"_s));
        auto ok2 = request2(
            "ferry/2 " + nextId() + " PUB " +
                QJsonDocument(QJsonObject{{u"token"_s, token}}).toJson(QJsonDocument::Compact),
            {test::cloudEvent(u"p-2"_s)}, &client);
        QCOMPARE(ok2.kind, QByteArray("ACK"));
        QCOMPARE(ok2.body.value("status"_L1).toInt(), 202);
        QVERIFY(agent.terminate());
    }

    void withoutItsAuthenticationHandlerTheAgentDoesNotListen()
    {
        // Something else holds the ZAP endpoint in the agent's ZeroMQ context: libzmq would
        // then let every CURVE client in unchecked, so ZeroMQ ingest must refuse to start.
        void *context = zmq_ctx_new();
        void *squatter = zmq_socket(context, ZMQ_REP);
        QCOMPARE(zmq_bind(squatter, "inproc://zeromq.zap.01"), 0);
        agent::ingest::BatchWriter writer({m_db->url(), 5, 100, 10, {}, 1});
        agent::ingest::ZmqIngest::Options o;
        const quint16 port = test::freePort();
        o.listen = u"tcp://127.0.0.1:%1"_s.arg(port);
        o.databaseUrl = m_db->url();
        o.serverSecretKey = QByteArray(40, 'x');
        agent::ingest::ZmqIngest ingest(writer, o);
        const auto started = ingest.start(context);
        QVERIFY(!started.ok());
        QVERIFY2(started.error().message.contains(u"stays closed"_s),
                 qPrintable(started.error().message));
        QTcpServer probe; // the port is free: nothing was bound
        QVERIFY(probe.listen(QHostAddress(u"127.0.0.1"_s), port));
        zmq_close(squatter);
        zmq_ctx_term(context);
    }
};

QTEST_GUILESS_MAIN(TestZmqProtocol)
#include "tst_zmqprotocol.moc"
