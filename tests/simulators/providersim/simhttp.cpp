#include "simhttp.h"

#include "shared/httpstatus.h"

namespace ferry::sim {

namespace {

QString formPart(QByteArray part)
{
    part.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(part));
}

} // namespace

QString SimRequest::idempotencyKey() const
{
    for (const QByteArray name :
         {"i-twilio-idempotency-token", "idempotency-key", "x-idempotency-key"}) {
        if (headers.contains(name))
            return QString::fromUtf8(headers.value(name));
    }
    return {};
}

QByteArray SimRequest::bearerToken() const
{
    const QByteArray value = header("authorization");
    if (!value.startsWith("Bearer "))
        return {};
    return value.mid(7).trimmed();
}

QByteArray Answer::serialize() const
{
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "\r\n" + body;
    return out;
}

QList<QPair<QString, QString>> decodeForm(const QByteArray &body)
{
    QList<QPair<QString, QString>> fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            fields.append({formPart(pair), QString()});
        else
            fields.append({formPart(pair.left(eq)), formPart(pair.mid(eq + 1))});
    }
    return fields;
}

QByteArray encodeForm(const QList<QPair<QString, QString>> &fields)
{
    QByteArray out;
    for (const auto &[name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += name.toUtf8().toPercentEncoding() + '=' + value.toUtf8().toPercentEncoding();
    }
    return out;
}

} // namespace ferry::sim
