#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ferry {

// RFC 9457 problem details (`application/problem+json`).
struct Problem
{
    int status = 500;
    QString type;   // a stable identifier, `urn:ferry:problem:<slug>`
    QString title;  // short, the same for every occurrence of this type
    QString detail; // this occurrence: what was wrong and what to do
    QJsonObject extra;

    QByteArray toJson() const; // one line, ending with a newline
    static Problem make(int status, const QString &slug, const QString &title,
                        const QString &detail);
};

} // namespace ferry
