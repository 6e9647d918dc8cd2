#pragma once

#include <QString>

namespace ferry {

// A target URL as shown to those who may not see its secrets (API roles below admin) and as
// the audit log keeps it: the user info (user:password@) is dropped, every query value becomes
// "redacted" (the names stay, they say what the partner expects) and the fragment is dropped.
// Text without "://", such as an e-mail address or a phone number, comes back unchanged; a
// URL that does not parse comes back as "redacted".
QString redactedUrl(const QString &url);

} // namespace ferry
