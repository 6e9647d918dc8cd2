#include "shared/ingestanswer.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::wire;

// The ingest answer codec: what the agent's HTTP and ZeroMQ ingest write, ferry::Producer reads
// back as the same result, for every kind of answer.
class TestIngestAnswer : public QObject
{
    Q_OBJECT
private:
    static QUuid id() { return QUuid::fromString(u"0190c3a2-7b1e-7c3d-9a4f-123456789abc"_s); }

    // A ferry/2 frame round trip: the request id and kind survive, the body is returned as is.
    static Answer roundTrip(AnswerKind kind, const QByteArray &body, bool batch)
    {
        const QByteArray frame = encodeFrame("req-1", kind, body);
        const auto decoded = decodeFrame(frame);
        if (!decoded)
            return {};
        if (decoded->requestId != "req-1" || decoded->kind != kind || decoded->body != body)
            return {};
        return decodeBody(decoded->kind, decoded->body, batch);
    }

private Q_SLOTS:
    void eventAckMatchesTheJsonWriter()
    {
        // The direct bytes are those QJsonDocument writes for the same object.
        for (const bool dup : {false, true}) {
            const QJsonObject o{{u"duplicate"_s, dup},
                                {u"event_id"_s, id().toString(QUuid::WithoutBraces)}};
            QCOMPARE(encodeEventAck(dup, id(), false),
                     QJsonDocument(o).toJson(QJsonDocument::Compact));
            QCOMPARE(encodeEventAck(dup, id(), true),
                     encodeObject(o, dup ? kStatusDuplicate : kStatusAccepted));
        }
    }

    void acceptedRoundTrip()
    {
        const Answer a = roundTrip(AnswerKind::Ack, encodeEventAck(false, id(), true), false);
        QCOMPARE(a.kind, AnswerKind::Ack);
        QCOMPARE(a.single.status, kStatusAccepted);
        QCOMPARE(a.single.duplicate, false);
        QCOMPARE(a.single.eventId, id().toString(QUuid::WithoutBraces));
        QVERIFY(a.single.ok());
    }

    void duplicateRoundTrip()
    {
        const Answer a = roundTrip(AnswerKind::Ack, encodeEventAck(true, id(), true), false);
        QCOMPARE(a.single.status, kStatusDuplicate);
        QCOMPARE(a.single.duplicate, true);
        QCOMPARE(a.single.eventId, id().toString(QUuid::WithoutBraces));
    }

    void refusalRoundTrip()
    {
        const QJsonObject problem{{u"type"_s, u"about:blank"_s},
                                  {u"detail"_s, u"tenant quota exceeded"_s},
                                  {u"retry_after"_s, 7}};
        const Answer a = roundTrip(AnswerKind::Nack, encodeObject(problem, 429), false);
        QCOMPARE(a.kind, AnswerKind::Nack);
        QCOMPARE(a.single.status, 429);
        QCOMPARE(a.single.error, u"tenant quota exceeded"_s);
        QVERIFY(!a.single.ok());
    }

    void unavailableRoundTrip()
    {
        const QJsonObject problem{{u"detail"_s, u"store down"_s}};
        const QByteArray body = encodeObject(problem, kStatusUnavailable, 4);
        const Answer single = roundTrip(AnswerKind::Nack, body, false);
        QCOMPARE(single.single.status, kStatusUnavailable);
        QCOMPARE(single.retryAfterSeconds, 4);
        const Answer batch = roundTrip(AnswerKind::Nack, body, true);
        QCOMPARE(batch.batch.status, kStatusUnavailable);
        QCOMPARE(batch.batch.error, u"store down"_s);
        QCOMPARE(batch.retryAfterSeconds, 4);
    }

    void batchOfUsualAnswersRoundTrip()
    {
        const QByteArray body = encodeBatchResults(
            {encodeEventAck(false, id(), true), encodeEventAck(true, id(), true)});
        const Answer a = roundTrip(AnswerKind::Ack, body, true);
        QCOMPARE(a.kind, AnswerKind::Ack);
        QCOMPARE(a.batch.status, kStatusPerItem);
        QCOMPARE(a.batch.items.size(), 2);
        QCOMPARE(a.batch.items[0].status, kStatusAccepted);
        QCOMPARE(a.batch.items[1].status, kStatusDuplicate);
        QCOMPARE(a.batch.items[1].duplicate, true);
        QCOMPARE(a.batch.items[1].eventId, id().toString(QUuid::WithoutBraces));
    }

    void mixedBatchRoundTrip()
    {
        // An item that is not in the usual form sends the whole body through the JSON path.
        const QByteArray body =
            encodeBatchResults({encodeEventAck(false, id(), true),
                                encodeObject({{u"detail"_s, u"not a CloudEvent"_s}}, 400)});
        const Answer a = roundTrip(AnswerKind::Ack, body, true);
        QCOMPARE(a.batch.status, kStatusPerItem);
        QCOMPARE(a.batch.items.size(), 2);
        QCOMPARE(a.batch.items[0].status, kStatusAccepted);
        QCOMPARE(a.batch.items[0].eventId, id().toString(QUuid::WithoutBraces));
        QCOMPARE(a.batch.items[1].status, 400);
        QCOMPARE(a.batch.items[1].error, u"not a CloudEvent"_s);
    }

    void framesThatAreNotAnswers()
    {
        QVERIFY(!decodeFrame("ferry/1 req ACK {}"));
        QVERIFY(!decodeFrame("ferry/2"));
        QVERIFY(!decodeFrame("ferry/2 req"));
        QVERIFY(!decodeFrame("ferry/2x req ACK {}"));
        QCOMPARE(kindName(AnswerKind::Ack), kAck);
        QCOMPARE(kindName(AnswerKind::Nack), kNack);
    }
};

QTEST_GUILESS_MAIN(TestIngestAnswer)
#include "tst_ingestanswer.moc"
