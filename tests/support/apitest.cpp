#include "tests/support/apitest.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::test {

HttpResponse ApiEndpoint::call(const QByteArray &method, const QString &path,
                               const QByteArray &token, const QByteArray &body) const
{
    HttpRequest r;
    r.method = method;
    r.url = u"https://127.0.0.1:%1%2"_s.arg(apiPort).arg(path);
    r.caFile = caFile;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}};
    if (!token.isEmpty())
        r.headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + token));
    return http(r, 10000);
}

QByteArray cliToken(const QString &databaseUrl, const QString &role, const QString &tenant)
{
    QStringList args{u"token"_s, u"create"_s, u"--role"_s, role};
    if (!tenant.isEmpty())
        args << u"--tenant"_s << tenant;
    return run(agentBinary(), args, {{u"FERRY_DATABASE_URL"_s, databaseUrl}})
        .out.trimmed()
        .toUtf8();
}

QJsonObject jsonObject(const HttpResponse &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

QJsonArray jsonItems(const HttpResponse &r)
{
    return jsonObject(r).value("items"_L1).toArray();
}

QString describe(const HttpResponse &r)
{
    return u"%1 %2 %3"_s.arg(r.status).arg(QString::fromUtf8(r.body.left(600)), r.error);
}

} // namespace ferry::test
