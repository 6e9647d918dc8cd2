#include "shared/cloudevent.h"

#include <QTest>

using ferry::CloudEvent;

class TestCloudEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validEvent()
    {
        auto e = CloudEvent::parse(R"({"specversion":"1.0","id":"42","source":"/shop",
            "type":"order.created","partitionkey":"customer-7","data":{"a":1}})");
        QVERIFY2(e.ok(), e.ok() ? "" : qPrintable(e.error().message));
        QCOMPARE(e->id, QStringLiteral("42"));
        QCOMPARE(e->partitionKey, QStringLiteral("customer-7"));
        QCOMPARE(e->contentHash().size(), 32);
    }

    void canonicalFormIgnoresKeyOrderAndWhitespace()
    {
        auto a = CloudEvent::parse(R"({"specversion":"1.0","id":"1","source":"/s","type":"t"})");
        auto b =
            CloudEvent::parse(R"({ "type" : "t", "source":"/s",  "id":"1", "specversion":"1.0" })");
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->contentHash(), b->contentHash());
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{nope") << "not valid JSON";
        QTest::newRow("array") << QByteArray("[]") << "one JSON object";
        QTest::newRow("no specversion")
            << QByteArray(R"({"id":"1","source":"/s","type":"t"})") << "'specversion'";
        QTest::newRow("old specversion")
            << QByteArray(R"({"specversion":"0.3","id":"1","source":"/s","type":"t"})") << "'1.0'";
        QTest::newRow("no id") << QByteArray(R"({"specversion":"1.0","source":"/s","type":"t"})")
                               << "'id'";
        QTest::newRow("empty id")
            << QByteArray(R"({"specversion":"1.0","id":"","source":"/s","type":"t"})")
            << "'id' must not be empty";
        QTest::newRow("numeric id")
            << QByteArray(R"({"specversion":"1.0","id":7,"source":"/s","type":"t"})")
            << "'id' must be a string";
        QTest::newRow("no source")
            << QByteArray(R"({"specversion":"1.0","id":"1","type":"t"})") << "'source'";
        QTest::newRow("bad source")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"a b%zz","type":"t"})")
            << "URI reference";
        QTest::newRow("no type") << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s"})")
                                 << "'type'";
        QTest::newRow("bad time")
            << QByteArray(
                   R"({"specversion":"1.0","id":"1","source":"/s","type":"t","time":"yesterday"})")
            << "RFC 3339";
        QTest::newRow("data and data_base64")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s","type":"t","data":1,
                "data_base64":"AA=="})")
            << "not both";
        QTest::newRow("bad extension name")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s","type":"t","Tenant":"x"})")
            << "lowercase";
        QTest::newRow("object extension")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s","type":"t","ext":{}})")
            << "string, number or boolean";
        // (Built from plain strings: moc does not read raw strings with escapes well.)
        const QByteArray head = "{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\",";
        QTest::newRow("nul in data") << head + "\"id\":\"1\",\"data\":{\"a\":[\"x\\u0000y\"]}}"
                                     << "NUL character";
        QTest::newRow("id too long") << head + "\"id\":\"" + QByteArray(2000, 'i') + "\"}"
                                     << "longer than 1024";
        QTest::newRow("partitionkey not string")
            << QByteArray(
                   R"({"specversion":"1.0","id":"1","source":"/s","type":"t","partitionkey":5})")
            << "'partitionkey' must be a string";
    }

    void invalid()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        auto e = CloudEvent::parse(body);
        QVERIFY(!e.ok());
        QVERIFY2(e.error().message.contains(mentions), qPrintable(e.error().message));
        QCOMPARE(e.error().code, 400);
    }
};

QTEST_GUILESS_MAIN(TestCloudEvent)
#include "tst_cloudevent.moc"
