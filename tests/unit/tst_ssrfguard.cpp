#include "agent/adapters/ssrfguard.h"

#include <QTest>

using ferry::agent::adapters::SsrfGuard;
using namespace Qt::StringLiterals;

class TestSsrfGuard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void internalAddressesAreRefusedByDefault_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("loopback") << u"127.0.0.1"_s << false;
        QTest::newRow("private 10") << u"10.1.2.3"_s << false;
        QTest::newRow("private 172") << u"172.20.0.1"_s << false;
        QTest::newRow("private 192") << u"192.168.1.10"_s << false;
        QTest::newRow("link-local (cloud metadata)") << u"169.254.169.254"_s << false;
        QTest::newRow("cgnat") << u"100.64.0.1"_s << false;
        QTest::newRow("unspecified") << u"0.0.0.0"_s << false;
        QTest::newRow("v6 loopback") << u"::1"_s << false;
        QTest::newRow("v6 unique local") << u"fd12::1"_s << false;
        QTest::newRow("v6 link-local") << u"fe80::1"_s << false;
        QTest::newRow("v4-mapped private") << u"::ffff:10.0.0.1"_s << false;
        QTest::newRow("public v4") << u"93.184.216.34"_s << true;
        QTest::newRow("public v6") << u"2606:2800:220:1::1"_s << true;
        QTest::newRow("just outside 172.16/12") << u"172.32.0.1"_s << true;
    }
    void internalAddressesAreRefusedByDefault()
    {
        QFETCH(QString, address);
        QFETCH(bool, allowed);
        auto guard = SsrfGuard::parse({});
        QVERIFY(guard.ok());
        QCOMPARE(guard->allows(QHostAddress(address)), allowed);
    }

    void allowListOpensOnlyWhatItNames()
    {
        auto guard = SsrfGuard::parse(u"10.20.0.0/16, 127.0.0.1/32"_s);
        QVERIFY(guard.ok());
        QVERIFY(guard->allows(QHostAddress(u"10.20.5.6"_s)));
        QVERIFY(!guard->allows(QHostAddress(u"10.21.5.6"_s)));
        QVERIFY(guard->allows(QHostAddress(u"127.0.0.1"_s)));
        QVERIFY(!guard->allows(QHostAddress(u"127.0.0.2"_s)));
    }

    void badAllowListIsAnError()
    {
        auto guard = SsrfGuard::parse(u"10.0.0.0/8,intranet"_s);
        QVERIFY(!guard.ok());
        QVERIFY(guard.error().message.contains(u"'intranet' is not a network"_s));
    }
};

QTEST_GUILESS_MAIN(TestSsrfGuard)
#include "tst_ssrfguard.moc"
