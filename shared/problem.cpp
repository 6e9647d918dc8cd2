#include "shared/problem.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry {

QByteArray Problem::toJson() const
{
    QJsonObject object = extra;
    object.insert("type"_L1, type);
    object.insert("title"_L1, title);
    object.insert("status"_L1, status);
    object.insert("detail"_L1, detail);
    // A final newline, as a terminal expects: `curl` prints the body as it is, and without one
    // the shell's prompt runs on after the message.
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

Problem Problem::make(int status, const QString &slug, const QString &title, const QString &detail)
{
    Problem p;
    p.status = status;
    p.type = "urn:ferry:problem:"_L1 + slug;
    p.title = title;
    p.detail = detail;
    return p;
}

} // namespace ferry
