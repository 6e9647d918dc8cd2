// The API's failed-login throttle: it throttles an address after ten failures, forgets it when
// its window has passed, stays within its capacity whatever the number of addresses, and counts
// an IPv6 host by its /64.
#include "agent/api/authenticator.h"
#include "agent/api/loginthrottle.h"

#include <QHostAddress>
#include <QTest>

using ferry::agent::api::Authenticator;
using ferry::agent::api::LoginThrottle;

class TestLoginThrottle : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void throttlesAfterTheLimit()
    {
        LoginThrottle t(10, 60000);
        for (int i = 0; i < 9; ++i)
            t.recordFailure(QStringLiteral("192.0.2.1"));
        QVERIFY(!t.throttled(QStringLiteral("192.0.2.1")));
        t.recordFailure(QStringLiteral("192.0.2.1"));
        QVERIFY(t.throttled(QStringLiteral("192.0.2.1")));
        QVERIFY(!t.throttled(QStringLiteral("192.0.2.2")));
    }

    void forgetsAnAddressAfterItsWindow()
    {
        LoginThrottle t(2, 50);
        t.recordFailure(QStringLiteral("192.0.2.1"));
        t.recordFailure(QStringLiteral("192.0.2.1"));
        QVERIFY(t.throttled(QStringLiteral("192.0.2.1")));
        QTRY_VERIFY_WITH_TIMEOUT(!t.throttled(QStringLiteral("192.0.2.1")), 5000);
        QCOMPARE(t.size(), 0);
    }

    void staysWithinItsCapacityAndKeepsTheActiveAttacker()
    {
        LoginThrottle t(10, 60000, 1000);
        const QString attacker = QStringLiteral("198.51.100.7");
        for (int i = 0; i < 50000; ++i) {
            t.recordFailure(QStringLiteral("10.%1.%2.%3")
                                .arg((i >> 16) & 255)
                                .arg((i >> 8) & 255)
                                .arg(i & 255));
            if (i % 100 == 0)
                t.recordFailure(attacker); // keeps guessing while others flood
            QVERIFY(t.size() <= 1000);
        }
        QCOMPARE(t.size(), 1000);
        QVERIFY(t.throttled(attacker));
    }

    void countsIpv6ByItsSlash64AndIpv4MappedAsIpv4()
    {
        const QString a = Authenticator::throttleKey(QHostAddress(QStringLiteral("2001:db8::1")));
        const QString b =
            Authenticator::throttleKey(QHostAddress(QStringLiteral("2001:db8::ffff:2")));
        const QString other =
            Authenticator::throttleKey(QHostAddress(QStringLiteral("2001:db8:0:1::1")));
        QCOMPARE(a, b);
        QVERIFY(a != other);
        QCOMPARE(Authenticator::throttleKey(QHostAddress(QStringLiteral("::ffff:192.0.2.9"))),
                 QStringLiteral("192.0.2.9"));
        QCOMPARE(Authenticator::throttleKey(QHostAddress(QStringLiteral("192.0.2.9"))),
                 QStringLiteral("192.0.2.9"));
    }
};

QTEST_GUILESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"
