#include "demo/providers.h"

#include "agent/api/certificates.h"
#include "demo/network.h"
#include "demo/terminal.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

constexpr char kTwilioSid[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kTwilioToken[] = "demo-twilio-auth-token";
constexpr char kMetaToken[] = "demo-meta-access-token";
constexpr char kSmtpUser[] = "ferry";
constexpr char kSmtpPassword[] = "demo-smtp-password";

Result<void> writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) < 0)
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

} // namespace

Result<void> Providers::start(const QString &dir)
{
    m_dir = dir;
    if (auto ok = writeCertificate(); !ok)
        return ok;
    if (auto ok = startSim(); !ok)
        return ok;
    return startSmtp();
}

void Providers::stop()
{
    m_sim.stop();
    m_smtp.stop();
}

QString Providers::deathNotice()
{
    if (QString notice = m_sim.deathNotice(); !notice.isEmpty())
        return notice;
    return m_smtp.deathNotice();
}

// The SMTP server's certificate, for 127.0.0.1; the agent trusts it through the credential's
// ca_file.
Result<void> Providers::writeCertificate()
{
    m_certFile = QFileInfo(m_dir + u"/smtp-cert.pem"_s).absoluteFilePath();
    m_keyFile = QFileInfo(m_dir + u"/smtp-key.pem"_s).absoluteFilePath();
    auto cert = agent::api::generateSelfSigned({u"localhost"_s, u"127.0.0.1"_s});
    if (!cert)
        return cert.error();
    if (auto ok = writeFile(m_certFile, cert->certificatePem); !ok)
        return ok;
    return writeFile(m_keyFile, cert->privateKeyPem);
}

Result<void> Providers::startSim()
{
    m_serviceAccountFile = QFileInfo(m_dir + u"/fcm-service-account.json"_s).absoluteFilePath();
    QFile::remove(m_serviceAccountFile);
    const QStringList arguments{u"--port"_s,
                                u"0"_s,
                                u"--twilio-account"_s,
                                QLatin1StringView(kTwilioSid) + u':' +
                                    QLatin1StringView(kTwilioToken),
                                u"--meta-token"_s,
                                QLatin1StringView(kMetaToken),
                                u"--write-fcm-service-account"_s,
                                m_serviceAccountFile};
    auto port = startListening(m_sim, m_options.providerSim, arguments, u"provider-sim.log"_s);
    if (!port)
        return port.error();
    m_simPort = *port;
    QFile file(m_serviceAccountFile);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            u"ferry-provider-sim wrote no service account to %1"_s.arg(m_serviceAccountFile));
    m_serviceAccount = QJsonDocument::fromJson(file.readAll()).object();
    return {};
}

Result<void> Providers::startSmtp()
{
    m_mailFile = QFileInfo(m_dir + u"/mail.jsonl"_s).absoluteFilePath();
    QFile::remove(m_mailFile);
    const QStringList arguments{m_options.smtpServer,
                                u"--port"_s,
                                u"0"_s,
                                u"--starttls"_s,
                                u"--cert"_s,
                                m_certFile,
                                u"--key"_s,
                                m_keyFile,
                                u"--user"_s,
                                QLatin1StringView(kSmtpUser),
                                u"--password"_s,
                                QLatin1StringView(kSmtpPassword),
                                u"--out"_s,
                                m_mailFile};
    auto port = startListening(m_smtp, u"/usr/bin/python3"_s, arguments, u"smtp-server.log"_s);
    if (!port)
        return port.error();
    m_smtpPort = *port;
    return {};
}

// Both print "listening on PORT" once they serve; their output goes to their log.
Result<quint16> Providers::startListening(ChildProcess &child, const QString &program,
                                          const QStringList &arguments, const QString &logName)
{
    if (auto ok = child.start(program, arguments, QProcessEnvironment::systemEnvironment(),
                              m_dir + u'/' + logName, true);
        !ok)
        return ok.error();
    static const QRegularExpression listening(u"listening on (\\d+)"_s);
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 20'000) {
        if (interrupts() > 0)
            return makeError(u"interrupted"_s);
        if (const QString notice = child.deathNotice(); !notice.isEmpty())
            return makeError(notice);
        QFile log(child.logPath());
        if (log.open(QIODevice::ReadOnly)) {
            const auto match = listening.match(QString::fromUtf8(log.readAll()));
            if (match.hasMatch())
                return quint16(match.captured(1).toUInt());
        }
        pause(50);
    }
    return makeError(u"%1 did not start listening within 20 s; the end of its log:\n%2"_s.arg(
        child.logPath(), child.logTail(15)));
}

ProviderAccount Providers::account(const QString &channel) const
{
    const QString sim = u"http://127.0.0.1:%1"_s.arg(m_simPort);
    if (channel == "sms"_L1)
        return {u"twilio"_s, sim,
                QJsonObject{{"account_sid"_L1, QLatin1StringView(kTwilioSid)},
                            {"auth_token"_L1, QLatin1StringView(kTwilioToken)},
                            {"from"_L1, "+15017122661"_L1}}};
    if (channel == "whatsapp"_L1)
        return {u"meta"_s, sim,
                QJsonObject{{"access_token"_L1, QLatin1StringView(kMetaToken)},
                            {"phone_number_id"_L1, "106540352242922"_L1}}};
    if (channel == "push"_L1)
        return {u"fcm"_s, sim, m_serviceAccount};
    return {u"smtp"_s, u"smtp://127.0.0.1:%1"_s.arg(m_smtpPort),
            QJsonObject{{"username"_L1, QLatin1StringView(kSmtpUser)},
                        {"password"_L1, QLatin1StringView(kSmtpPassword)},
                        {"from"_L1, "orders@shop.example"_L1},
                        {"from_name"_L1, "Demo Shop"_L1},
                        {"ca_file"_L1, m_certFile}}};
}

Result<QHash<QString, qint64>> Providers::received() const
{
    const HttpAnswer answer =
        httpGet("http://127.0.0.1:" + QByteArray::number(m_simPort) + "/_sim/stats?messages=0");
    if (answer.status != 200)
        return makeError(
            u"ferry-provider-sim did not answer GET /_sim/stats (HTTP %1)"_s.arg(answer.status));
    const QJsonObject stats = QJsonDocument::fromJson(answer.body).object();
    const auto accepted = [&](const char *provider) {
        return stats.value(QLatin1StringView(provider)).toObject().value("accepted"_L1).toInteger();
    };
    return QHash<QString, qint64>{{u"email"_s, mails()},
                                  {u"sms"_s, accepted("twilio")},
                                  {u"whatsapp"_s, accepted("meta")},
                                  {u"push"_s, accepted("fcm")}};
}

// The SMTP server writes one JSON line per message it took.
qint64 Providers::mails() const
{
    QFile file(m_mailFile);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().count('\n');
}

} // namespace ferry::demo
