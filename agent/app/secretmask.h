#pragma once

#include <QString>

namespace ferry::agent {

// A configuration value as it may be shown (`ferry-agent config`, logs): "****" in place of the
// password of a URL's user info (scheme://user:PASSWORD@host), of every key=value pair whose key
// names a secret (password=, sslpassword=, token=, secret=; libpq key=value strings and URL
// query strings alike), and of the whole value when the key itself names a secret.
QString maskSecrets(const QString &key, const QString &value);

} // namespace ferry::agent
