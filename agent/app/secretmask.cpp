#include "agent/app/secretmask.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

const QString kMask = u"****"_s;

// scheme://user:password@host…: the password ends at the last '@' before the path.
QString maskUserInfo(QString value)
{
    const qsizetype scheme = value.indexOf("://"_L1);
    if (scheme < 0)
        return value;
    const qsizetype start = scheme + 3;
    static const QRegularExpression authorityEnd(u"[/?#]"_s);
    qsizetype end = value.indexOf(authorityEnd, start);
    if (end < 0)
        end = value.size();
    const qsizetype at = value.lastIndexOf(u'@', end - 1);
    if (at < start)
        return value;
    const qsizetype colon = value.indexOf(u':', start);
    if (colon < 0 || colon > at)
        return value;
    return value.replace(colon + 1, at - colon - 1, kMask);
}

} // namespace

QString maskSecrets(const QString &key, const QString &value)
{
    static const QRegularExpression secretKey(u"(password|secret|token)"_s,
                                              QRegularExpression::CaseInsensitiveOption);
    const QString name = key.section(u'.', -1);
    if (name.contains(secretKey))
        return value.isEmpty() ? value : kMask;
    // key = 'quoted value' or key=value up to a blank, '&' or '#'.
    static const QRegularExpression pair(
        u"(\\b\\w*(?:password|secret|token)\\w*\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'|[^\\s&#]*)"_s,
        QRegularExpression::CaseInsensitiveOption);
    QString masked = maskUserInfo(value);
    masked.replace(pair, u"\\1"_s + kMask);
    return masked;
}

} // namespace ferry::agent
