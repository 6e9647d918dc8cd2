// Upcasting on routes (agent/routing/upcast.h): a route's upcasts parse with errors that name
// the entry, are consistent with the versions it accepts, chain from old versions to accepted
// ones, and map an event's data (rename, then set, then drop) with its version set to the new
// one, leaving everything else of the event as it was.
#include "agent/routing/upcast.h"

#include <QJsonDocument>
#include <QTest>

using namespace ferry::agent::routing;
using namespace Qt::StringLiterals;

namespace {

QJsonObject object(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QList<Upcast> upcasts(const char *json)
{
    auto parsed = parseUpcasts(QJsonDocument::fromJson(json).array());
    return parsed ? *parsed : QList<Upcast>();
}

const char *const kOneToTwo =
    R"([{"from":"1","to":"2","rename":{"cust_id":"customer.id"},"set":{"currency":"EUR"},)"
    R"("drop":["legacy"]}])";

} // namespace

class TestUpcast : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void namesAndPaths()
    {
        QVERIFY(isSchemaVersion(u"1"_s));
        QVERIFY(isSchemaVersion(u"v2.1-beta_3"_s));
        QVERIFY(!isSchemaVersion(QString()));
        QVERIFY(!isSchemaVersion(u".1"_s));
        QVERIFY(!isSchemaVersion(u"1 2"_s));
        QVERIFY(!isSchemaVersion(u"https://x/2"_s));
        QVERIFY(!isSchemaVersion(QString(65, u'a')));
        QVERIFY(isFieldPath(u"customer.id"_s));
        QVERIFY(isFieldPath(u"a"_s));
        QVERIFY(!isFieldPath(u"a..b"_s));
        QVERIFY(!isFieldPath(u".a"_s));
        QVERIFY(!isFieldPath(u"a."_s));
        QVERIFY(!isFieldPath(u"a b"_s));
        QVERIFY(!isFieldPath(QString()));
        QVERIFY(!isFieldPath(QString(201, u'a')));
    }

    void fieldAtWalksObjects()
    {
        const QJsonObject data = object(R"({"customer":{"id":"c-1","tags":[1]},"n":0})");
        QCOMPARE(fieldAt(data, u"customer.id"_s), QJsonValue(u"c-1"_s));
        QCOMPARE(fieldAt(data, u"n"_s), QJsonValue(0));
        QVERIFY(!fieldAt(data, u"customer.name"_s));
        QVERIFY(!fieldAt(data, u"n.x"_s)); // a number on the way
        QVERIFY(!fieldAt(data, u"customer.tags.0"_s));
    }

    void parsesAndWritesBack()
    {
        const auto parsed = parseUpcasts(QJsonDocument::fromJson(kOneToTwo).array());
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed->size(), 1);
        const Upcast &u = parsed->first();
        QCOMPARE(u.from, u"1"_s);
        QCOMPARE(u.to, u"2"_s);
        QCOMPARE(u.rename, (QList<QPair<QString, QString>>{{u"cust_id"_s, u"customer.id"_s}}));
        QCOMPARE(u.set.size(), 1);
        QCOMPARE(u.drop, QStringList{u"legacy"_s});
        QCOMPARE(upcastsJson(*parsed), QJsonDocument::fromJson(kOneToTwo).array());
        QVERIFY(parseUpcasts(QJsonValue()).ok()); // null: none
        QVERIFY(parseUpcasts(QJsonValue())->isEmpty());
    }

    void refusesWithTheEntryNamed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::newRow("not a list") << QByteArray(R"({"from":"1"})") << u"upcasts"_s;
        QTest::newRow("not an object") << QByteArray(R"(["1"])") << u"upcasts[0]"_s;
        QTest::newRow("no to") << QByteArray(R"([{"from":"1"}])") << u"upcasts[0].to"_s;
        QTest::newRow("bad from") << QByteArray(R"([{"from":"a b","to":"2"}])")
                                  << u"upcasts[0].from"_s;
        QTest::newRow("same") << QByteArray(R"([{"from":"1","to":"1"}])") << u"upcasts[0]"_s;
        QTest::newRow("unknown member")
            << QByteArray(R"([{"from":"1","to":"2","move":{}}])") << u"upcasts[0]"_s;
        QTest::newRow("bad rename target")
            << QByteArray(R"([{"from":"0","to":"1"},{"from":"1","to":"2","rename":{"a":"b..c"}}])")
            << u"upcasts[1].rename"_s;
        QTest::newRow("rename not object")
            << QByteArray(R"([{"from":"1","to":"2","rename":["a"]}])") << u"upcasts[0].rename"_s;
        QTest::newRow("bad set path")
            << QByteArray(R"([{"from":"1","to":"2","set":{"a.":1}}])") << u"upcasts[0].set"_s;
        QTest::newRow("bad drop") << QByteArray(R"([{"from":"1","to":"2","drop":[1]}])")
                                  << u"upcasts[0].drop"_s;
    }

    void refusesWithTheEntryNamed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const QJsonDocument doc = QJsonDocument::fromJson(json);
        const auto parsed =
            parseUpcasts(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, 422);
        QVERIFY2(parsed.error().message.startsWith(field + u": "_s),
                 qPrintable(parsed.error().message));
    }

    void consistencyWithTheAcceptedVersions()
    {
        const QStringList two{u"2"_s};
        QVERIFY(checkUpcasts(two, upcasts(kOneToTwo)).ok());
        QVERIFY(checkUpcasts({}, {}).ok());
        QVERIFY(checkUpcasts(two, {}).ok());
        const auto needsVersions = checkUpcasts({}, upcasts(kOneToTwo));
        QVERIFY(!needsVersions);
        QVERIFY(needsVersions.error().message.contains(u"schema_versions"_s));
        QVERIFY(!checkUpcasts(two, upcasts(R"([{"from":"1","to":"2"},{"from":"1","to":"3"}])")));
        QVERIFY(!checkUpcasts(two, upcasts(R"([{"from":"2","to":"3"}])"))); // 2 is accepted
        const auto nowhere = checkUpcasts(two, upcasts(R"([{"from":"0","to":"1"}])"));
        QVERIFY(!nowhere);
        QVERIFY2(nowhere.error().message.contains(u"'0'"_s), qPrintable(nowhere.error().message));
        QVERIFY(!checkUpcasts(two, upcasts(R"([{"from":"0","to":"1"},{"from":"1","to":"0"}])")));
    }

    void chainsLeadToAnAcceptedVersion()
    {
        const QStringList three{u"3"_s};
        const auto steps = upcasts(R"([{"from":"2","to":"3"},{"from":"1","to":"2"}])");
        QCOMPARE(upcastChain(u"3"_s, three, steps)->size(), 0);
        QCOMPARE(upcastChain(u"2"_s, three, steps)->size(), 1);
        const auto fromOne = upcastChain(u"1"_s, three, steps);
        QVERIFY(fromOne);
        QCOMPARE(fromOne->size(), 2);
        QCOMPARE(fromOne->at(0).from, u"1"_s);
        QCOMPARE(fromOne->at(1).from, u"2"_s);
        QVERIFY(!upcastChain(u"0"_s, three, steps));
        QVERIFY(!upcastChain(QString(), three, steps));   // an event without a version
        QCOMPARE(upcastChain(u"0"_s, {}, {})->size(), 0); // every version accepted
        const auto cycle = upcasts(R"([{"from":"1","to":"2"},{"from":"2","to":"1"}])");
        QVERIFY(!upcastChain(u"1"_s, three, cycle));
        QCOMPARE(routableVersions(three, steps), (QStringList{u"3"_s, u"2"_s, u"1"_s}));
        QCOMPARE(routableVersions(three, cycle), three);
        QVERIFY(routableVersions({}, {}).isEmpty());
    }

    void mapsDataRenameSetDrop()
    {
        const Upcast u = upcasts(kOneToTwo).first();
        const QJsonObject out =
            upcastData(object(R"({"cust_id":"c-9","legacy":true,"amount":5})"), u);
        QCOMPARE(out, object(R"({"customer":{"id":"c-9"},"currency":"EUR","amount":5})"));
        // A missing source moves nothing; set overwrites; drop of what is not there is a no-op.
        QCOMPARE(upcastData(object(R"({"currency":"USD"})"), u), object(R"({"currency":"EUR"})"));
        // Into an existing object, next to its members; a non-object on the way is replaced.
        const auto nested = upcasts(R"([{"from":"1","to":"2","rename":{"a.b":"c.d","x":"n.m"},)"
                                    R"("drop":["c.e"]}])")
                                .first();
        QCOMPARE(
            upcastData(object(R"({"a":{"b":1,"k":2},"c":{"e":3,"f":4},"x":5,"n":"s"})"), nested),
            object(R"({"a":{"k":2},"c":{"d":1,"f":4},"n":{"m":5}})"));
    }

    void upcastsTheWholeEvent()
    {
        const QByteArray event =
            R"({"data":{"cust_id":"c-1","legacy":1},"id":"e1","schemaversion":"1",)"
            R"("source":"/shop","specversion":"1.0","type":"order.created"})";
        const auto out = upcastEvent(event, upcasts(kOneToTwo));
        QVERIFY2(out, out ? "" : qPrintable(out.error().message));
        QCOMPARE(QJsonDocument::fromJson(*out).object(),
                 object(R"({"data":{"customer":{"id":"c-1"},"currency":"EUR"},"id":"e1",)"
                        R"("schemaversion":"2","source":"/shop","specversion":"1.0",)"
                        R"("type":"order.created"})"));
        QVERIFY(!out->contains(' ')); // compact, as the stored payload
        QCOMPARE(*upcastEvent(event, {}), event);
        // No data: `set` makes some; binary data stays as it is, only the version changes.
        const auto noData = upcastEvent(R"({"id":"e2","type":"t"})", upcasts(kOneToTwo));
        QCOMPARE(QJsonDocument::fromJson(*noData).object().value("data"_L1).toObject(),
                 object(R"({"currency":"EUR"})"));
        const auto binary =
            upcastEvent(R"({"data_base64":"aGk=","id":"e3","type":"t"})", upcasts(kOneToTwo));
        QCOMPARE(QJsonDocument::fromJson(*binary).object(),
                 object(R"({"data_base64":"aGk=","id":"e3","schemaversion":"2","type":"t"})"));
        QVERIFY(!upcastEvent("not json", upcasts(kOneToTwo)));
    }
};

QTEST_GUILESS_MAIN(TestUpcast)
#include "tst_upcast.moc"
