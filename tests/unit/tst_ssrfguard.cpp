// The SSRF guard: which addresses a delivery may connect to, and which target URLs may be saved.
#include "agent/adapters/ssrfguard.h"
#include "agent/adapters/urlcheck.h"

#include <QFile>
#include <QTest>

using ferry::agent::adapters::checkUrlAtSave;
using ferry::agent::adapters::SsrfGuard;
using namespace Qt::StringLiterals;

namespace {

SsrfGuard guardOf(const QString &allowed)
{
    auto guard = SsrfGuard::parse(allowed);
    if (!guard)
        qFatal("bad allow-list in a test: %s", qPrintable(guard.error().message));
    return *guard;
}

} // namespace

class TestSsrfGuard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void internalAddressesAreRefusedByDefault_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("why"); // empty: allowed
        const QList<std::pair<const char *, const char *>> refused = {
            {"0.0.0.0", "unspecified"},
            {"0.1.2.3", "unspecified"},
            {"10.1.2.3", "private"},
            {"100.64.0.1", "shared address space"},
            {"100.127.255.254", "shared address space"},
            {"127.0.0.1", "loopback"},
            {"127.255.255.254", "loopback"},
            {"169.254.169.254", "link-local"},
            {"172.16.0.1", "private"},
            {"172.31.255.255", "private"},
            {"192.0.0.8", "IETF protocol assignments"},
            {"192.0.2.1", "documentation"},
            {"192.88.99.1", "6to4 relay"},
            {"192.168.1.10", "private"},
            {"198.18.0.1", "benchmarking"},
            {"198.19.255.255", "benchmarking"},
            {"198.51.100.7", "documentation"},
            {"203.0.113.9", "documentation"},
            {"224.0.0.1", "multicast"},
            {"239.255.255.250", "multicast"},
            {"240.0.0.1", "reserved"},
            {"255.255.255.255", "broadcast"},
            {"::", "unspecified"},
            {"::1", "loopback"},
            {"::ffff:127.0.0.1", "IPv4-mapped"},
            {"::ffff:10.0.0.1", "IPv4-mapped"},
            {"::ffff:169.254.169.254", "IPv4-mapped"},
            {"::ffff:8.8.8.8", "IPv4-mapped"}, // a form no resolver gives: refused unless listed
            {"::127.0.0.1", "IPv4-compatible"},
            {"::10.0.0.1", "IPv4-compatible"},
            {"64:ff9b::127.0.0.1", "NAT64"},
            {"64:ff9b::192.168.0.1", "NAT64"},
            {"64:ff9b::8.8.8.8", "NAT64"},
            {"64:ff9b:1::a00:1", "local-use NAT64"},
            {"100::1", "discard-only"},
            {"2001::1", "Teredo"},
            {"2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo"}, // client 127.0.0.1
            {"2001:2::1", "IETF protocol assignments"},
            {"2001:db8::1", "documentation"},
            {"2002:7f00:1::1", "6to4"},   // 127.0.0.1
            {"2002:a00:1::1", "6to4"},    // 10.0.0.1
            {"2002:c0a8:101::1", "6to4"}, // 192.168.1.1
            {"3fff::1", "documentation"},
            {"fc00::1", "unique local"},
            {"fd12::1", "unique local"},
            {"fe80::1", "link-local"},
            {"fe80::1%1", "link-local"},
            {"fec0::1", "site-local"},
            {"ff02::1", "multicast"},
            {"ff0e::1", "multicast"},
            {"4000::1", "reserved"},
            {"5f00::1", "reserved"},
        };
        for (const auto &[address, why] : refused)
            QTest::newRow(address) << QString::fromLatin1(address) << QString::fromLatin1(why);
        for (const char *address : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1",
                                    "192.0.3.1", "2606:2800:220:1::1", "2a00:1450:4001::1"})
            QTest::newRow(address) << QString::fromLatin1(address) << QString();
    }
    void internalAddressesAreRefusedByDefault()
    {
        QFETCH(QString, address);
        QFETCH(QString, why);
        const QHostAddress a(address);
        QVERIFY(!a.isNull());
        const SsrfGuard guard = guardOf({});
        QCOMPARE(guard.allows(a), why.isEmpty());
        QVERIFY2(guard.refusal(a).contains(why), qPrintable(guard.refusal(a)));
    }

    void allowListOpensOnlyWhatItNames()
    {
        const SsrfGuard guard = guardOf(u"10.20.0.0/16, 127.0.0.1/32"_s);
        QVERIFY(guard.allows(QHostAddress(u"10.20.5.6"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"10.21.5.6"_s)));
        QVERIFY(guard.allows(QHostAddress(u"127.0.0.1"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"127.0.0.2"_s)));
        // The same host written as IPv4-mapped; not as the other IPv6 forms.
        QVERIFY(guard.allows(QHostAddress(u"::ffff:127.0.0.1"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"::ffff:127.0.0.2"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"2002:7f00:1::1"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"64:ff9b::127.0.0.1"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"::1"_s)));
    }

    void anAllowedIpv6FormStillChecksTheIpv4AddressItCarries()
    {
        const SsrfGuard nat64 = guardOf(u"64:ff9b::/96"_s);
        QVERIFY(nat64.allows(QHostAddress(u"64:ff9b::8.8.8.8"_s)));
        QVERIFY(!nat64.allows(QHostAddress(u"64:ff9b::10.0.0.1"_s)));
        QVERIFY(nat64.refusal(QHostAddress(u"64:ff9b::10.0.0.1"_s))
                    .contains(u"carries 10.0.0.1, which is private"_s));
        QVERIFY(guardOf(u"64:ff9b::/96,10.0.0.0/8"_s).allows(QHostAddress(u"64:ff9b::10.0.0.1"_s)));
        const SsrfGuard sixToFour = guardOf(u"2002::/16"_s);
        QVERIFY(sixToFour.allows(QHostAddress(u"2002:808:808::1"_s)));
        QVERIFY(!sixToFour.allows(QHostAddress(u"2002:7f00:1::1"_s)));
        const SsrfGuard mapped = guardOf(u"::ffff:0:0/96"_s);
        QVERIFY(mapped.allows(QHostAddress(u"::ffff:8.8.8.8"_s)));
        QVERIFY(!mapped.allows(QHostAddress(u"::ffff:192.168.0.1"_s)));
    }

    void ipv6AllowListEntries()
    {
        const SsrfGuard guard = guardOf(u"fd00::/8,::1"_s);
        QVERIFY(guard.allows(QHostAddress(u"fd12::1"_s)));
        QVERIFY(guard.allows(QHostAddress(u"::1"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"fc00::1"_s)));
        QVERIFY(!guard.allows(QHostAddress(u"fe80::1"_s)));
    }

    void aTenantListWidensTheAgentsWithoutChangingIt()
    {
        const SsrfGuard agent = guardOf(u"10.20.0.0/16"_s);
        auto own = SsrfGuard::parseNetworks({u"127.0.0.0/8"_s, u"fd00::/8"_s});
        QVERIFY(own.ok());
        const SsrfGuard tenant = agent.widenedBy(*own);
        QVERIFY(tenant.allows(QHostAddress(u"127.0.0.1"_s)));
        QVERIFY(tenant.allows(QHostAddress(u"10.20.0.1"_s)));
        QVERIFY(tenant.allows(QHostAddress(u"fd00::5"_s)));
        QVERIFY(!agent.allows(QHostAddress(u"127.0.0.1"_s)));
    }

    void networksParseToNormalForm()
    {
        QCOMPARE(SsrfGuard::networkText(*SsrfGuard::parseNetwork(u"10.20.1.2/16"_s)),
                 u"10.20.0.0/16"_s);
        QCOMPARE(SsrfGuard::networkText(*SsrfGuard::parseNetwork(u" 127.0.0.1 "_s)),
                 u"127.0.0.1/32"_s);
        QCOMPARE(SsrfGuard::networkText(*SsrfGuard::parseNetwork(u"FD00:1::/64"_s)),
                 u"fd00:1::/64"_s);
        for (const QString &bad : {u"intranet"_s, u"10.0.0.0/33"_s, u""_s, u"fe80::1%eth0"_s,
                                   u"10.0.0.0/"_s, u"::1/129"_s}) {
            const auto net = SsrfGuard::parseNetwork(bad);
            QVERIFY2(!net.ok(), qPrintable(bad));
            QVERIFY(net.error().message.contains(u"write CIDR blocks such as"_s));
        }
    }

    void badAllowListIsAnError()
    {
        auto guard = SsrfGuard::parse(u"10.0.0.0/8,intranet"_s);
        QVERIFY(!guard.ok());
        QVERIFY(guard.error().message.contains(u"'intranet' is not a network"_s));
        QVERIFY(guard.error().message.startsWith(u"webhook.allowed_networks: "_s));
    }

    void targetsIntoInternalNetworksAreRefusedWhenSaved_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("why");
        const QList<std::pair<const char *, const char *>> refused = {
            {"http://127.0.0.1/h", "127.0.0.1 is loopback"},
            {"http://127.0.0.1:8080/h", "loopback"},
            {"https://10.0.0.5/h", "private"},
            {"http://169.254.169.254/latest/meta-data/", "link-local"},
            {"http://0.0.0.0:8080/", "unspecified"},
            {"http://100.64.1.1/", "shared address space"},
            {"http://2130706433/", "written an unusual way"},
            {"http://0177.0.0.1/", "written an unusual way"},
            {"http://0x7f.1/", "written an unusual way"},
            {"http://0x7f000001/", "written an unusual way"},
            {"http://127.1/", "written an unusual way"},
            {"http://127.0.1/", "written an unusual way"},
            {"http://010.0.0.1/", "written an unusual way"},
            {"http://1.2.3.4.5/", "written an unusual way"},
            {"http://[::1]/", "loopback"},
            {"http://[::]:80/", "unspecified"},
            {"http://[::ffff:127.0.0.1]/", "IPv4-mapped"},
            {"http://[::ffff:7f00:1]/", "IPv4-mapped"},
            {"http://[::ffff:10.1.1.1]:8443/", "IPv4-mapped"},
            {"http://[::127.0.0.1]/", "IPv4-compatible"},
            {"http://[64:ff9b::7f00:1]/", "NAT64"},
            {"http://[2002:7f00:1::1]:8080/", "6to4"},
            {"http://[2002:c0a8:1::1]/", "6to4"},
            {"http://[fd00::1]/", "unique local"},
            {"http://[fe80::1%25eth0]/", "percent-encoded"},
            {"http://%31%32%37.0.0.1/", "percent-encoded"},
            {"http://local%68ost/", "percent-encoded"},
            {"http://localhost/", "loopback"},
            {"http://LOCALHOST:8080/", "loopback"},
            {"http://api.localhost/", "loopback"},
            {"http://localhost./", "trailing dot"},
            {"http://partner.example./hooks", "trailing dot"},
            {"http://user:secret@partner.example/", "user name or password"},
            {"http://partner.example@127.0.0.1/", "user name or password"},
            {"http://partner.example\\@127.0.0.1/", "backslashes"},
            {"http://partner.example /", "spaces"},
            {"ftp://partner.example/", "not an absolute http://, https:// URL"},
            {"file:///etc/passwd", "not an absolute"},
            {"gopher://partner.example:70/", "not an absolute"},
            {"//partner.example/", "not an absolute"},
        };
        for (const auto &[url, why] : refused)
            QTest::newRow(url) << QString::fromLatin1(url) << QString::fromLatin1(why);
    }
    void targetsIntoInternalNetworksAreRefusedWhenSaved()
    {
        QFETCH(QString, url);
        QFETCH(QString, why);
        const auto checked = checkUrlAtSave(url, guardOf({}));
        QVERIFY2(!checked.ok(), qPrintable(url));
        QVERIFY2(checked.error().message.contains(why), qPrintable(checked.error().message));
    }

    void aNameThatResolvesInsideIsRefused()
    {
        // Every name /etc/hosts gives an internal address (localhost at least), resolved as
        // any name is.
        QFile hosts(u"/etc/hosts"_s);
        QVERIFY(hosts.open(QIODevice::ReadOnly));
        const SsrfGuard guard = guardOf({});
        int names = 0;
        for (const QByteArray &raw : hosts.readAll().split('\n')) {
            const QList<QByteArray> fields = raw.split('#').value(0).simplified().split(' ');
            if (fields.size() < 2 || guard.allows(QHostAddress(QString::fromLatin1(fields[0]))))
                continue;
            for (const QByteArray &name : fields.mid(1)) {
                const auto checked =
                    checkUrlAtSave(u"http://%1:8080/h"_s.arg(QString::fromLatin1(name)), guard);
                QVERIFY2(!checked.ok(), name.constData());
                QVERIFY2(checked.error().message.contains(u"resolves to"_s) || name == "localhost",
                         qPrintable(checked.error().message));
                ++names;
            }
        }
        QVERIFY(names >= 1);
    }

    void allowedTargetsAreAccepted()
    {
        const SsrfGuard none = guardOf({});
        QVERIFY(checkUrlAtSave(u"https://93.184.216.34/h"_s, none).ok());
        QVERIFY(checkUrlAtSave(u"https://[2606:2800:220:1::1]:8443/h?x=1"_s, none).ok());
        // A name that does not resolve (yet): the check at connect time still applies.
        QVERIFY(checkUrlAtSave(u"https://partner.invalid/hooks"_s, none).ok());
        const SsrfGuard loopback = guardOf(u"127.0.0.0/8"_s);
        QVERIFY(checkUrlAtSave(u"http://127.0.0.1:8080/h"_s, loopback).ok());
        QVERIFY(checkUrlAtSave(u"HTTP://127.0.0.1:8080/h"_s, loopback).ok());
        // localhost is also ::1, which this list does not cover.
        QVERIFY(!checkUrlAtSave(u"http://localhost:8080/h"_s, loopback).ok());
        QVERIFY(checkUrlAtSave(u"http://localhost:8080/h"_s, guardOf(u"127.0.0.0/8,::1"_s)).ok());
        QVERIFY(checkUrlAtSave(u"http://[::ffff:127.0.0.1]/h"_s, loopback).ok());
    }

    void otherSchemesOnlyWhenAsked()
    {
        const SsrfGuard none = guardOf({});
        const QStringList mail{u"smtp"_s, u"smtps"_s};
        QVERIFY(!checkUrlAtSave(u"smtps://93.184.216.34:465"_s, none).ok());
        QVERIFY(checkUrlAtSave(u"smtps://93.184.216.34:465"_s, none, mail).ok());
        QVERIFY(checkUrlAtSave(u"smtp://93.184.216.34:25"_s, none, mail).ok());
        const auto inside = checkUrlAtSave(u"smtp://127.0.0.1:25"_s, none, mail);
        QVERIFY(!inside.ok());
        QVERIFY(inside.error().message.contains(u"loopback"_s));
        QVERIFY(!checkUrlAtSave(u"https://93.184.216.34/"_s, none, mail).ok());
    }
};

QTEST_GUILESS_MAIN(TestSsrfGuard)
#include "tst_ssrfguard.moc"
