#pragma once

#include "shared/result.h"

#include <QHostAddress>
#include <QList>
#include <QPair>

namespace ferry::agent::adapters {

// Outbound requests may not reach loopback, private, link-local, carrier-grade NAT, multicast
// or unspecified addresses unless an operator allows those networks (webhook.allowed_networks):
// a partner's URL must not become a way into the customer's own network (SSRF). The check runs
// on the address libcurl is about to connect to, after DNS, so a name that resolves (or
// re-resolves) to an internal address is caught too.
class SsrfGuard
{
public:
    // A comma-separated list of networks in CIDR notation, e.g. "10.20.0.0/16,127.0.0.1/32".
    static Result<SsrfGuard> parse(const QString &allowedNetworks);

    bool allows(const QHostAddress &address) const;

private:
    QList<QPair<QHostAddress, int>> m_allowed;
};

} // namespace ferry::agent::adapters
