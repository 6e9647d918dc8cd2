#pragma once

#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonObject>

namespace ferry::test {

// What the API tests share: one agent's TLS API on apiPort, trusted through caFile.
struct ApiEndpoint
{
    quint16 apiPort = 0;
    QString caFile;

    // METHOD path with a bearer token (none: no Authorization) and a JSON body.
    HttpResponse call(const QByteArray &method, const QString &path, const QByteArray &token,
                      const QByteArray &body = {}) const;
};

// `ferry-agent token create --role ROLE [--tenant TENANT]` on the database; the new token.
QByteArray cliToken(const QString &databaseUrl, const QString &role, const QString &tenant = {});

QJsonObject jsonObject(const HttpResponse &r);
QJsonArray jsonItems(const HttpResponse &r); // the "items" of a list answer
// "status body error", for the messages of failed checks.
QString describe(const HttpResponse &r);

} // namespace ferry::test
