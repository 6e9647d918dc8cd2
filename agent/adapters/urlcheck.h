#pragma once

#include "shared/result.h"

#include <QString>
#include <QStringList>

namespace ferry::agent::adapters {

class SsrfGuard;

// Checks a target URL when it is saved (a webhook route's target, a provider account's base
// URL), so a URL that leads into an internal network is refused with a clear answer then
// rather than dead-lettered at its first delivery. Refused: schemes other than
// `allowedSchemes`; user names and passwords in the URL; hosts written in any form but plain
// (numeric IPv4 forms other than four decimal numbers such as 2130706433, 0177.0.0.1, 0x7f.1
// or 127.1; percent-encoded hosts; a trailing dot); and hosts whose address, or any address
// their name resolves to now, the guard refuses. `localhost` and `*.localhost` are loopback
// whatever DNS says. A name that does not resolve yet is accepted: the guard checks every
// address again when a request connects, and redirects are never followed.
//
// Resolves the name with getaddrinfo(), so it blocks for as long as DNS takes.
Result<void> checkUrlAtSave(const QString &url, const SsrfGuard &guard,
                            const QStringList &allowedSchemes = {QStringLiteral("http"),
                                                                 QStringLiteral("https")});

} // namespace ferry::agent::adapters
