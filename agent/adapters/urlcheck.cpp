#include "agent/adapters/urlcheck.h"

#include "agent/adapters/ssrfguard.h"

#include <QHostAddress>
#include <QList>
#include <QRegularExpression>
#include <QUrl>

#include <netdb.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {

const QString kAllowAdvice = u"Ferry does not send to internal networks unless "
                             "webhook.allowed_networks or the tenant's allowed_networks covers "
                             "the address"_s;

// The host as the URL writes it (brackets kept), after the checks that need the raw text.
Result<QString> writtenHost(const QString &url)
{
    for (const QChar c : url) {
        if (c.unicode() <= 0x20 || c.unicode() == 0x7f || c == u'\\')
            return makeError(u"'%1' has spaces, control characters or backslashes; write the "
                             "URL plainly"_s.arg(url));
    }
    const qsizetype start = url.indexOf("://"_L1);
    if (start <= 0)
        return makeError(
            u"'%1' is not an absolute URL such as https://partner.example/hooks"_s.arg(url));
    static const QRegularExpression pathStart(u"[/?#]"_s);
    QString authority = url.mid(start + 3);
    if (const qsizetype end = authority.indexOf(pathStart); end >= 0)
        authority.truncate(end);
    if (authority.contains(u'@'))
        return makeError(u"'%1' has a user name or password in it; Ferry does not send "
                         "credentials in URLs: remove the part before '@'"_s.arg(url));
    const QString host = authority.startsWith(u'[') ? authority.left(authority.indexOf(u']') + 1)
                                                    : authority.section(u':', 0, 0);
    if (host.isEmpty())
        return makeError(u"'%1' has no host"_s.arg(url));
    if (host.contains(u'%'))
        return makeError(u"the host of '%1' is percent-encoded; write it plainly"_s.arg(url));
    if (host.endsWith(u'.'))
        return makeError(
            u"the host of '%1' ends with a dot; write it without the trailing dot"_s.arg(url));
    return host;
}

bool isNumberLabel(const QString &label)
{
    static const QRegularExpression number(u"^([0-9]+|0[xX][0-9a-fA-F]*)$"_s);
    return number.match(label).hasMatch();
}

bool isDottedQuad(const QString &host)
{
    static const QRegularExpression quad(u"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                                         "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"_s);
    return quad.match(host).hasMatch();
}

// The addresses a name has now; none when it does not resolve (yet).
QList<QHostAddress> resolve(const QByteArray &name)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    QList<QHostAddress> out;
    if (::getaddrinfo(name.constData(), nullptr, &hints, &found) != 0)
        return out;
    for (const addrinfo *a = found; a; a = a->ai_next) {
        const QHostAddress address(a->ai_addr);
        if (!address.isNull() && !out.contains(address))
            out.append(address);
    }
    ::freeaddrinfo(found);
    return out;
}

Result<void> checkAddresses(const QString &host, const QList<QHostAddress> &addresses,
                            const SsrfGuard &guard)
{
    for (const QHostAddress &address : addresses) {
        const QString why = guard.refusal(address);
        if (why.isEmpty())
            continue;
        const QString which =
            address.toString() == host
                ? u"%1 is %2"_s.arg(host, why)
                : u"%1 resolves to %2, which is %3"_s.arg(host, address.toString(), why);
        return makeError(u"%1: %2"_s.arg(which, kAllowAdvice));
    }
    return {};
}

// The addresses of a host written as a name: `localhost` is loopback whatever DNS says.
Result<QList<QHostAddress>> hostAddresses(const QString &host)
{
    const QString lower = host.toLower();
    if (lower == "localhost"_L1 || lower.endsWith(".localhost"_L1))
        return QList<QHostAddress>{QHostAddress(QHostAddress::LocalHost),
                                   QHostAddress(QHostAddress::LocalHostIPv6)};
    const QByteArray ace = QUrl::toAce(lower, QUrl::AceTransitionalProcessing);
    if (ace.isEmpty())
        return makeError(u"'%1' is not a valid host name"_s.arg(host));
    return resolve(ace);
}

} // namespace

Result<void> checkUrlAtSave(const QString &url, const SsrfGuard &guard,
                            const QStringList &allowedSchemes)
{
    const QUrl parsed(url, QUrl::StrictMode);
    const auto notAbsolute = [&] {
        return makeError(u"'%1' is not an absolute %2 URL"_s.arg(
            url, allowedSchemes.join(u"://, "_s) + u"://"_s));
    };
    if (!allowedSchemes.contains(parsed.scheme(), Qt::CaseInsensitive))
        return notAbsolute();
    auto host = writtenHost(url);
    if (!host)
        return host.error();
    if (!parsed.isValid() || parsed.host().isEmpty())
        return notAbsolute();
    if (host->startsWith(u'[')) {
        const QHostAddress address(host->mid(1, host->size() - 2));
        if (address.protocol() != QAbstractSocket::IPv6Protocol)
            return makeError(u"the host of '%1' is not an IPv6 address"_s.arg(url));
        return checkAddresses(*host, {address}, guard);
    }
    if (isNumberLabel(host->section(u'.', -1))) {
        if (!isDottedQuad(*host))
            return makeError(u"the host of '%1' is an IPv4 address written an unusual way; write "
                             "it as four decimal numbers such as 198.51.100.7"_s.arg(url));
        return checkAddresses(*host, {QHostAddress(*host)}, guard);
    }
    auto addresses = hostAddresses(*host);
    if (!addresses)
        return addresses.error();
    return checkAddresses(*host, *addresses, guard);
}

} // namespace ferry::agent::adapters
