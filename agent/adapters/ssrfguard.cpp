#include "agent/adapters/ssrfguard.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {

const QList<QPair<QHostAddress, int>> &blockedNetworks()
{
    static const QList<QPair<QHostAddress, int>> nets = [] {
        QList<QPair<QHostAddress, int>> out;
        for (const char *cidr :
             {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
              "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
              "240.0.0.0/4", "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8"})
            out.append(QHostAddress::parseSubnet(QString::fromLatin1(cidr)));
        return out;
    }();
    return nets;
}

} // namespace

Result<SsrfGuard> SsrfGuard::parse(const QString &allowedNetworks)
{
    SsrfGuard guard;
    for (const QString &part : allowedNetworks.split(u',', Qt::SkipEmptyParts)) {
        const auto subnet = QHostAddress::parseSubnet(part.trimmed());
        if (subnet.first.isNull())
            return makeError(u"webhook.allowed_networks: '%1' is not a network; write CIDR "
                             "blocks such as 10.20.0.0/16 or 127.0.0.1/32, separated by "
                             "commas"_s.arg(part.trimmed()));
        guard.m_allowed.append(subnet);
    }
    return guard;
}

bool SsrfGuard::allows(const QHostAddress &address) const
{
    QHostAddress a = address;
    bool mapped = false;
    const quint32 v4 = a.toIPv4Address(&mapped); // ::ffff:10.0.0.1 is 10.0.0.1
    if (mapped)
        a = QHostAddress(v4);
    for (const auto &net : m_allowed) {
        if (a.isInSubnet(net))
            return true;
    }
    for (const auto &net : blockedNetworks()) {
        if (a.isInSubnet(net))
            return false;
    }
    return true;
}

} // namespace ferry::agent::adapters
