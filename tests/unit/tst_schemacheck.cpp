// The strict-mode check of the batch writer (agent/ingest/schemacheck.h): events of types the
// registry does not hold pass; others must name a registered version and carry its required
// fields with their types, and a refusal names the type, the version and the fields.
#include "agent/ingest/schemacheck.h"

#include <QJsonArray>
#include <QTest>

using namespace ferry::agent;
using namespace Qt::StringLiterals;

namespace {

ingest::SchemaRegistry registry()
{
    store::EventSchema v1;
    v1.tenantId = 7;
    v1.eventType = u"order.created"_s;
    v1.version = u"1"_s;
    v1.required = {{u"cust_id"_s, {}}};
    store::EventSchema v2 = v1;
    v2.version = u"2"_s;
    v2.required = {{u"customer.id"_s, u"string"_s},
                   {u"total"_s, u"number"_s},
                   {u"lines"_s, u"array"_s},
                   {u"count"_s, u"integer"_s}};
    store::EventSchema free = v1;
    free.eventType = u"order.note"_s;
    free.required = {};
    store::EventSchema other = v1;
    other.tenantId = 8;
    other.eventType = u"user.created"_s;
    const auto all = ingest::registriesOf({v1, v2, free, other});
    return all.value(7);
}

QByteArray cloudEvent(const QByteArray &data)
{
    return R"({"id":"1","source":"/s","specversion":"1.0","type":"order.created","data":)" + data +
           "}";
}

const QByteArray kGoodV2 =
    cloudEvent(R"({"customer":{"id":"c-1"},"total":9.5,"lines":[],"count":2})");

} // namespace

class TestSchemaCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void registriesAreKeptPerTenant()
    {
        const ingest::SchemaRegistry r = registry();
        QCOMPARE(r.size(), 2);
        QCOMPARE(r.value(u"order.created"_s).size(), 2);
        QVERIFY(!r.contains(u"user.created"_s)); // tenant 8's
    }

    void matchingAndUnregisteredEventsPass()
    {
        const auto r = registry();
        QVERIFY(!ingest::checkSchema(r, u"order.created"_s, u"2"_s, kGoodV2));
        QVERIFY(
            !ingest::checkSchema(r, u"order.created"_s, u"1"_s, cloudEvent(R"({"cust_id":5})")));
        QVERIFY(!ingest::checkSchema(r, u"user.created"_s, {}, cloudEvent("{}")));
        QVERIFY(!ingest::checkSchema(r, u"order.note"_s, u"1"_s, cloudEvent("{}")));
    }

    void aVersionMustBeNamedAndRegistered()
    {
        const auto r = registry();
        const auto none = ingest::checkSchema(r, u"order.created"_s, {}, kGoodV2);
        QVERIFY(none);
        QVERIFY2(none->detail.contains(u"'order.created'"_s) &&
                     none->detail.contains(u"schemaversion"_s) && none->detail.contains(u"1, 2"_s),
                 qPrintable(none->detail));
        QVERIFY(none->members.value("schema_version"_L1).isNull());
        const auto unknown = ingest::checkSchema(r, u"order.created"_s, u"3"_s, kGoodV2);
        QVERIFY(unknown);
        QVERIFY2(unknown->detail.contains(u"no schema version '3'"_s) &&
                     unknown->detail.contains(u"'order.created'"_s),
                 qPrintable(unknown->detail));
        QCOMPARE(unknown->members.value("registered_versions"_L1).toArray(),
                 QJsonArray({u"1"_s, u"2"_s}));
        QCOMPARE(unknown->members.value("event_type"_L1).toString(), u"order.created"_s);
    }

    void missingAndMistypedFieldsAreNamed()
    {
        const auto r = registry();
        const auto v = ingest::checkSchema(
            r, u"order.created"_s, u"2"_s,
            cloudEvent(R"({"customer":{"id":17},"total":null,"lines":{},"count":2.5})"));
        QVERIFY(v);
        QVERIFY2(v->detail.contains(u"version '2'"_s) &&
                     v->detail.contains(u"missing required field total"_s) &&
                     v->detail.contains(u"customer.id is number, not string"_s) &&
                     v->detail.contains(u"lines is object, not array"_s) &&
                     v->detail.contains(u"count is number, not integer"_s),
                 qPrintable(v->detail));
        QCOMPARE(v->members.value("missing"_L1).toArray(), QJsonArray({u"total"_s}));
        const QJsonArray mistyped = v->members.value("mistyped"_L1).toArray();
        QCOMPARE(mistyped.size(), 3);
        QCOMPARE(mistyped.first().toObject().value("path"_L1).toString(), u"customer.id"_s);
        QCOMPARE(mistyped.first().toObject().value("expected"_L1).toString(), u"string"_s);
        QCOMPARE(mistyped.first().toObject().value("actual"_L1).toString(), u"number"_s);
    }

    void eventsWithoutJsonDataMissEverything()
    {
        const auto r = registry();
        const QByteArray binary =
            R"({"data_base64":"aGk=","id":"1","source":"/s","specversion":"1.0","type":"x"})";
        const auto v = ingest::checkSchema(r, u"order.created"_s, u"2"_s, binary);
        QVERIFY(v);
        QCOMPARE(v->members.value("missing"_L1).toArray().size(), 4);
        QVERIFY(ingest::checkSchema(r, u"order.created"_s, u"1"_s, cloudEvent("\"text\"")));
    }
};

QTEST_GUILESS_MAIN(TestSchemaCheck)
#include "tst_schemacheck.moc"
