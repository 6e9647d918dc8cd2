// What clients may see: target URLs without user info and query values (ferry::redactedUrl),
// and store errors without PostgreSQL's text (store::publicError).
#include "agent/store/publicerror.h"
#include "shared/redactedurl.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ferry::redactedUrl;

class TestRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void urlsLoseUserInfoQueryValuesAndFragment_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("shown");
        QTest::newRow("user info and query")
            << u"https://user:pa%40ss@hooks.example.com:8443/in?token=abc&sig=x"_s
            << u"https://hooks.example.com:8443/in?token=redacted&sig=redacted"_s;
        QTest::newRow("fragment") << u"https://h.example/p#secret"_s << u"https://h.example/p"_s;
        QTest::newRow("plain") << u"http://127.0.0.1:9/h"_s << u"http://127.0.0.1:9/h"_s;
        QTest::newRow("bare key") << u"https://h.example/p?apikey"_s
                                  << u"https://h.example/p?apikey=redacted"_s;
        QTest::newRow("e-mail") << u"ops@example.com"_s << u"ops@example.com"_s;
        QTest::newRow("phone") << u"+4915112345678"_s << u"+4915112345678"_s;
        QTest::newRow("unparseable") << u"http://us er:pw@[bad/x?k=v"_s << u"redacted"_s;
    }
    void urlsLoseUserInfoQueryValuesAndFragment()
    {
        QFETCH(QString, url);
        QFETCH(QString, shown);
        QCOMPARE(redactedUrl(url), shown);
    }

    void databaseErrorsBecomePlainWithAReference()
    {
        using namespace ferry::agent::store;
        ferry::Error timeout =
            ferry::makeSqlError(u"ERROR:  canceling statement due to statement timeout"_s, "57014");
        const PublicError t = publicError(timeout, u"test"_s);
        QVERIFY(t.database);
        QVERIFY(t.timedOut);
        QCOMPARE(t.ref.size(), 12);
        QVERIFY(t.message.contains(t.ref));
        QVERIFY(!t.message.contains(u"canceling"_s));

        ferry::Error lost = ferry::makeError(
            u"cannot connect to PostgreSQL: connection to server at \"db.internal\" failed"_s);
        lost.connectionLost = true;
        const PublicError l = publicError(lost, u"test"_s);
        QVERIFY(l.message.startsWith(u"database unavailable, retry later (ref "_s));
        QVERIFY(!l.message.contains(u"db.internal"_s));
        QVERIFY(l.ref != t.ref);

        const ferry::Error refused = ferry::makeSqlError(
            u"ERROR:  new row for relation \"events\" violates check constraint"_s, "23514");
        QVERIFY(!publicError(refused, u"test"_s).message.contains(u"events"_s));

        // The store's own checks are written for users and keep their text.
        const PublicError own = publicError(ferry::makeError(u"say why"_s), u"test"_s);
        QVERIFY(!own.database);
        QVERIFY(own.ref.isEmpty());
        QCOMPARE(own.message, u"say why"_s);
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
