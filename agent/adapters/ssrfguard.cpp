#include "agent/adapters/ssrfguard.h"

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {

struct BlockedRange
{
    SsrfGuard::Network network;
    QString text; // "loopback (127.0.0.0/8)"
};

// Ranges no request goes to unless allowed; the first that matches names the refusal, so a
// narrower range comes before the wider one it lies in.
QList<BlockedRange> makeRanges(std::initializer_list<std::pair<const char *, const char *>> list)
{
    QList<BlockedRange> out;
    for (const auto &[cidr, name] : list)
        out.append({QHostAddress::parseSubnet(QString::fromLatin1(cidr)),
                    u"%1 (%2)"_s.arg(QLatin1StringView(name), QLatin1StringView(cidr))});
    return out;
}

const QList<BlockedRange> &blockedV4()
{
    static const QList<BlockedRange> ranges = makeRanges({
        {"0.0.0.0/8", "unspecified, 'this network'"},
        {"10.0.0.0/8", "private"},
        {"100.64.0.0/10", "shared address space (carrier-grade NAT)"},
        {"127.0.0.0/8", "loopback"},
        {"169.254.0.0/16", "link-local (cloud metadata services)"},
        {"172.16.0.0/12", "private"},
        {"192.0.0.0/24", "IETF protocol assignments"},
        {"192.0.2.0/24", "documentation"},
        {"192.88.99.0/24", "6to4 relay anycast (deprecated)"},
        {"192.168.0.0/16", "private"},
        {"198.18.0.0/15", "benchmarking"},
        {"198.51.100.0/24", "documentation"},
        {"203.0.113.0/24", "documentation"},
        {"224.0.0.0/4", "multicast"},
        {"255.255.255.255/32", "broadcast"},
        {"240.0.0.0/4", "reserved"},
    });
    return ranges;
}

const QList<BlockedRange> &blockedV6()
{
    static const QList<BlockedRange> ranges = makeRanges({
        {"::/128", "unspecified"},
        {"::1/128", "loopback"},
        {"::ffff:0:0/96", "IPv4-mapped"},
        {"::/96", "IPv4-compatible (deprecated)"},
        {"64:ff9b::/96", "NAT64"},
        {"64:ff9b:1::/48", "local-use NAT64"},
        {"100::/64", "discard-only"},
        {"2001::/32", "Teredo"},
        {"2001:db8::/32", "documentation"},
        {"2001::/23", "IETF protocol assignments"},
        {"2002::/16", "6to4"},
        {"3fff::/20", "documentation"},
        {"fc00::/7", "unique local (private)"},
        {"fe80::/10", "link-local"},
        {"fec0::/10", "site-local (deprecated)"},
        {"ff00::/8", "multicast"},
    });
    return ranges;
}

quint32 ipv4At(const Q_IPV6ADDR &a, int at)
{
    return quint32(a[at]) << 24 | quint32(a[at + 1]) << 16 | quint32(a[at + 2]) << 8 |
           quint32(a[at + 3]);
}

bool zeroBytes(const Q_IPV6ADDR &a, int from, int to)
{
    for (int i = from; i < to; ++i) {
        if (a[i] != 0)
            return false;
    }
    return true;
}

// The IPv4 address an IPv6 address carries, where it is one of the forms that lead to an IPv4
// host: IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96), 6to4 and Teredo (the client).
std::optional<QHostAddress> embeddedIpv4(const QHostAddress &address)
{
    const Q_IPV6ADDR a = address.toIPv6Address();
    if (zeroBytes(a, 0, 10) && a[10] == 0xff && a[11] == 0xff)
        return QHostAddress(ipv4At(a, 12));
    if (zeroBytes(a, 0, 12) && ipv4At(a, 12) > 1) // not :: nor ::1
        return QHostAddress(ipv4At(a, 12));
    if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b && zeroBytes(a, 4, 12))
        return QHostAddress(ipv4At(a, 12));
    if (a[0] == 0x20 && a[1] == 0x02)
        return QHostAddress(ipv4At(a, 2));
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0)
        return QHostAddress(~ipv4At(a, 12));
    return std::nullopt;
}

bool isMapped(const QHostAddress &address)
{
    bool mapped = false;
    address.toIPv4Address(&mapped);
    return mapped;
}

} // namespace

Result<SsrfGuard::Network> SsrfGuard::parseNetwork(const QString &cidr)
{
    const QString text = cidr.trimmed();
    Network net;
    if (!text.contains(u'/')) {
        const QHostAddress single(text);
        net = {single, single.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
    } else {
        net = QHostAddress::parseSubnet(text);
    }
    if (net.first.isNull() || !net.first.scopeId().isEmpty())
        return makeError(u"'%1' is not a network; write CIDR blocks such as 10.20.0.0/16, "
                         "127.0.0.1/32 or fd00:1::/64"_s.arg(text));
    return net;
}

Result<QList<SsrfGuard::Network>> SsrfGuard::parseNetworks(const QStringList &cidrs)
{
    QList<Network> out;
    for (const QString &cidr : cidrs) {
        auto net = parseNetwork(cidr);
        if (!net)
            return net.error();
        out.append(*net);
    }
    return out;
}

Result<SsrfGuard> SsrfGuard::parse(const QString &allowedNetworks)
{
    auto nets = parseNetworks(allowedNetworks.split(u',', Qt::SkipEmptyParts));
    if (!nets)
        return makeError(u"webhook.allowed_networks: "_s + nets.error().message +
                         u", separated by commas"_s);
    SsrfGuard guard;
    guard.m_allowed = *nets;
    return guard;
}

QString SsrfGuard::networkText(const Network &network)
{
    return u"%1/%2"_s.arg(network.first.toString()).arg(network.second);
}

SsrfGuard SsrfGuard::widenedBy(const QList<Network> &networks) const
{
    SsrfGuard wider = *this;
    wider.m_allowed += networks;
    return wider;
}

bool SsrfGuard::listed(const QHostAddress &address) const
{
    return std::ranges::any_of(m_allowed, [&](const auto &net) { return address.isInSubnet(net); });
}

QString SsrfGuard::refusalV4(const QHostAddress &address) const
{
    if (listed(address))
        return {};
    for (const auto &range : blockedV4()) {
        if (address.isInSubnet(range.network))
            return range.text;
    }
    return {};
}

QString SsrfGuard::refusalV6(const QHostAddress &address)
{
    for (const auto &range : blockedV6()) {
        if (address.isInSubnet(range.network))
            return range.text;
    }
    static const Network globalUnicast = QHostAddress::parseSubnet(u"2000::/3"_s);
    if (!address.isInSubnet(globalUnicast))
        return u"reserved (outside the global unicast 2000::/3)"_s;
    return {};
}

QString SsrfGuard::refusal(const QHostAddress &plain) const
{
    QHostAddress address = plain;
    address.setScopeId({}); // fe80::1%eth0 is fe80::1
    if (address.protocol() == QAbstractSocket::IPv4Protocol)
        return refusalV4(address);
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return u"not an IP address"_s;
    const auto v4 = embeddedIpv4(address);
    if (v4 && isMapped(address) && listed(*v4))
        return {};
    if (!listed(address))
        return refusalV6(address);
    if (v4) {
        const QString inner = refusalV4(*v4);
        if (!inner.isEmpty())
            return u"%1 carries %2, which is %3"_s.arg(refusalV6(address), v4->toString(), inner);
    }
    return {};
}

} // namespace ferry::agent::adapters
