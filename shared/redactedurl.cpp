#include "shared/redactedurl.h"

#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry {

QString redactedUrl(const QString &url)
{
    if (!url.contains(u"://"_s))
        return url; // not a URL: an address, a number, a device token
    QUrl u(url);
    if (!u.isValid() || u.host().isEmpty())
        return u"redacted"_s; // it may hold anything: show none of it
    u.setUserInfo({});
    u.setFragment({});
    if (u.hasQuery()) {
        QUrlQuery query(u);
        QUrlQuery redacted;
        for (const auto &item : query.queryItems(QUrl::FullyEncoded))
            redacted.addQueryItem(item.first, u"redacted"_s);
        u.setQuery(redacted);
    }
    return u.toString(QUrl::FullyEncoded);
}

} // namespace ferry
