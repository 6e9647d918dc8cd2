#include "agent/adapters/emailadapter.h"

#include "agent/adapters/curlmulti.h"
#include "agent/adapters/mimemessage.h"
#include "agent/adapters/smtptransfer.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::agent::adapters {

namespace {

// The fields of an opened smtp credential.
struct SmtpAccount
{
    QByteArray url;
    QByteArray username;
    QByteArray password;
    QByteArray caFile;
    QByteArray caPem;
    QString from;
    QString fromName;
    QString replyTo;
};

Result<QByteArray> smtpUrl(const QString &baseUrl)
{
    const QUrl url(baseUrl, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"smtp"_s && scheme != u"smtps"_s))
        return makeError(u"the smtp credential's base URL \"%1\" is not smtp://host:port "
                         "(STARTTLS) or smtps://host:port (TLS); set it to the mail server's "
                         "address"_s.arg(baseUrl));
    return url.toEncoded();
}

Result<SmtpAccount> smtpAccount(const ProviderAccount &account)
{
    if (account.provider != u"smtp"_s)
        return makeError(u"the route's credential \"%1\" is of provider \"%2\"; the email "
                         "channel needs an smtp credential"_s.arg(account.name, account.provider));
    auto url = smtpUrl(account.baseUrl);
    if (!url)
        return url.error();
    const QJsonObject &s = account.secret;
    SmtpAccount a{*url,
                  s.value("username"_L1).toString().toUtf8(),
                  s.value("password"_L1).toString().toUtf8(),
                  s.value("ca_file"_L1).toString().toUtf8(),
                  s.value("ca_pem"_L1).toString().toUtf8(),
                  s.value("from"_L1).toString(),
                  s.value("from_name"_L1).toString(),
                  s.value("reply_to"_L1).toString()};
    if (!isPlainAddress(a.from))
        return makeError(
            u"the smtp credential \"%1\" has no usable \"from\" address (\"%2\"); "
            "set it to the sender's address, e.g. alerts@example.com"_s.arg(account.name, a.from));
    if (!a.replyTo.isEmpty() && !isPlainAddress(a.replyTo))
        return makeError(u"the smtp credential \"%1\" has a \"reply_to\" (\"%2\") that is not an "
                         "email address; correct or remove it"_s.arg(account.name, a.replyTo));
    return a;
}

QByteArray messageBytes(const Delivery &delivery, const SmtpAccount &account, const QString &to)
{
    MailContent c;
    c.fromAddress = account.from;
    c.fromName = account.fromName;
    c.to = to;
    c.replyTo = account.replyTo;
    c.subject = delivery.message.subject;
    c.text = delivery.message.text;
    c.html = delivery.message.html;
    c.deliveryId = delivery.id;
    c.eventId = delivery.eventId;
    c.date = QDateTime::currentDateTimeUtc();
    return buildMimeMessage(c);
}

} // namespace

EmailAdapter::EmailAdapter(CurlMulti &multi, Options options)
    : m_multi(multi)
    , m_options(options)
{}

EmailAdapter::~EmailAdapter()
{
    for (const auto &transfer : std::as_const(m_transfers))
        m_multi.remove(transfer->handle());
}

void EmailAdapter::send(const Delivery &delivery)
{
    const QString to = delivery.message.to.isEmpty() ? delivery.target : delivery.message.to;
    if (!isPlainAddress(to))
        return refuse(delivery.id, u"invalid_recipient"_s,
                      u"the recipient \"%1\" is not an email address Ferry can send to (ASCII "
                      "local@domain); correct the route's template"_s.arg(to));
    const auto account = smtpAccount(delivery.account);
    if (!account)
        return refuse(delivery.id, u"credential"_s, account.error().message);
    SmtpTransfer::Setup setup{account->url,
                              account->username,
                              account->password,
                              account->caFile,
                              account->caPem,
                              account->from.toLatin1(),
                              to.toLatin1(),
                              messageBytes(delivery, *account, to),
                              QString::fromLatin1(messageId(delivery.id, account->from)),
                              m_options.timeoutMs,
                              delivery.guard ? delivery.guard : m_options.guard};
    auto transfer = std::make_shared<SmtpTransfer>(std::move(setup));
    const QUuid id = delivery.id;
    m_transfers.insert(id, transfer);
    m_multi.add(transfer->handle(), [this, id, transfer](int curlCode) {
        const Outcome outcome = transfer->result(curlCode);
        m_transfers.remove(id);
        report(id, outcome);
    });
}

void EmailAdapter::refuse(const QUuid &deliveryId, const QString &reason, const QString &error)
{
    Outcome r;
    r.kind = Outcome::Kind::Permanent;
    r.reason = reason;
    r.error = error;
    m_refused.append({deliveryId, r});
}

void EmailAdapter::poll()
{
    const auto refused = std::exchange(m_refused, {});
    for (const auto &[id, outcome] : refused)
        report(id, outcome);
    reportPendingStatus();
}

void EmailAdapter::abandon(const QUuid &deliveryId)
{
    m_refused.removeIf([&](const auto &entry) { return entry.first == deliveryId; });
    if (const auto transfer = m_transfers.take(deliveryId))
        m_multi.remove(transfer->handle());
}

} // namespace ferry::agent::adapters
