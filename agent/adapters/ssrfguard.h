#pragma once

#include "shared/result.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace ferry::agent::adapters {

// Outbound requests may not reach loopback, private, link-local, shared (carrier-grade NAT),
// multicast, unspecified, reserved or documentation addresses, nor IPv6 forms that carry an
// IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), unless an allow-list covers
// them: the agent's (webhook.allowed_networks) and a tenant's own (its allowed_networks). A
// partner's URL must not become a way into the customer's own network (SSRF).
//
// The check runs on the address libcurl is about to connect to, after DNS, so a name that
// resolves (or re-resolves) to an internal address is caught too; checkUrlAtSave() runs it
// earlier, when a target is saved, for a clear answer then.
//
// An allow-list entry that covers an IPv6 form carrying an IPv4 address (2002::/16,
// 64:ff9b::/96, …) opens it only for IPv4 addresses that are themselves allowed: listing
// 64:ff9b::/96 makes NAT64 usable without opening 64:ff9b::10.0.0.1. An IPv4-mapped address
// (::ffff:10.0.0.1) is the IPv4 host itself, so an entry covering 10.0.0.1 allows it too.
//
// Immutable once built: one guard may be read from several threads.
class SsrfGuard
{
public:
    using Network = QPair<QHostAddress, int>; // address, prefix length

    // A comma-separated list of networks in CIDR notation, e.g. "10.20.0.0/16,127.0.0.1/32"
    // (webhook.allowed_networks; an error names that key).
    static Result<SsrfGuard> parse(const QString &allowedNetworks);
    // One network in CIDR notation; an address alone is that address (/32 or /128). The error
    // says what to write.
    static Result<Network> parseNetwork(const QString &cidr);
    // Each entry of a list, such as a tenant's allowed_networks; the error names the bad one.
    static Result<QList<Network>> parseNetworks(const QStringList &cidrs);
    // CIDR notation of a network, as parseNetwork() reads it back: "10.20.0.0/16".
    static QString networkText(const Network &network);

    // This guard with `networks` allowed as well (a tenant's list over the agent's).
    SsrfGuard widenedBy(const QList<Network> &networks) const;
    const QList<Network> &allowedNetworks() const { return m_allowed; }

    bool allows(const QHostAddress &address) const { return refusal(address).isEmpty(); }
    // Why `address` is refused, such as "loopback (127.0.0.0/8)"; empty when it is allowed.
    QString refusal(const QHostAddress &plain) const;

private:
    bool listed(const QHostAddress &address) const;
    QString refusalV4(const QHostAddress &address) const;
    static QString refusalV6(const QHostAddress &address);

    QList<Network> m_allowed;
};

} // namespace ferry::agent::adapters
