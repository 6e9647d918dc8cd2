#include "agent/api/apijson.h"

#include <QJsonObject>
#include <QTest>

using namespace ferry::agent::api;
using namespace Qt::StringLiterals;

class TestApiJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dlqFilterEndpoint_data()
    {
        QTest::addColumn<QJsonValue>("endpoint");
        QTest::addColumn<qint64>("id"); // 0: every endpoint, -1: none
        QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << qint64(0);
        QTest::newRow("null") << QJsonValue() << qint64(0);
        QTest::newRow("an id") << QJsonValue(42) << qint64(42);
        QTest::newRow("a fraction") << QJsonValue(4.5) << qint64(-1);
        QTest::newRow("negative") << QJsonValue(-3) << qint64(-1);
        // Found by fuzzing (tests/fuzz/corpus/apibody/dlq-filter): converting 1e300 to qint64 is
        // undefined behaviour.
        QTest::newRow("beyond qint64") << QJsonValue(1e300) << qint64(-1);
        // A filter that cannot be read must not replay the whole DLQ.
        QTest::newRow("a string") << QJsonValue(u"7"_s) << qint64(-1);
    }

    void dlqFilterEndpoint()
    {
        QFETCH(QJsonValue, endpoint);
        QFETCH(qint64, id);
        QJsonObject o{{u"reason"_s, u"http_5xx"_s}};
        if (!endpoint.isUndefined())
            o.insert(u"endpoint"_s, endpoint);
        const auto filter = apijson::filterFrom(o);
        QCOMPARE(filter.endpointId, id);
        QCOMPARE(filter.reason, u"http_5xx"_s);
    }
};

QTEST_GUILESS_MAIN(TestApiJson)
#include "tst_apijson.moc"
