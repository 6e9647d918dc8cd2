// The email adapter against a real SMTP server (tests/simulators/smtp-server.py, aiosmtpd) over
// real sockets: STARTTLS and implicit TLS with authentication, the message's headers and parts
// as the server received them, and how each kind of refusal or failure is classified.
#include "agent/adapters/curlmulti.h"
#include "agent/adapters/emailadapter.h"
#include "agent/adapters/ssrfguard.h"
#include "agent/api/certificates.h"
#include "tests/support/testsupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace ferry::agent::adapters;
using namespace Qt::StringLiterals;

namespace {

// One smtp-server.py process on a port of its own, its messages in a JSON-lines file.
class SmtpServer
{
public:
    SmtpServer(const QString &dir, const QStringList &arguments)
        : m_out(dir + u"/messages-%1.jsonl"_s.arg(++s_count))
        , m_process(QStringLiteral(FERRY_SOURCE_DIR "/tests/simulators/smtp-server.py"),
                    arguments + QStringList{u"--port"_s, u"0"_s, u"--out"_s, m_out})
    {}
    bool start() { return m_process.start(); }
    // The port once the server listens; 0 before.
    quint16 port() const
    {
        static const QRegularExpression listening(u"listening on (\\d+)"_s);
        const auto match = listening.match(m_process.output());
        return match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
    }
    QString output() const { return m_process.output(); }
    bool isRunning() const { return m_process.isRunning(); }
    QList<QJsonObject> messages() const
    {
        QFile f(m_out);
        QList<QJsonObject> out;
        if (!f.open(QIODevice::ReadOnly))
            return out;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (!line.isEmpty())
                out.append(QJsonDocument::fromJson(line).object());
        }
        return out;
    }

private:
    static inline int s_count = 0;
    QString m_out;
    test::Process m_process;
};

// The header values of a received message, by name (the last one wins).
QHash<QString, QString> headers(const QJsonObject &message)
{
    QHash<QString, QString> out;
    for (const QJsonValue &h : message.value("headers"_L1).toArray())
        out.insert(h.toArray().at(0).toString(), h.toArray().at(1).toString());
    return out;
}

QString unixLines(QString text)
{
    return text.remove(u'\r');
}

} // namespace

class TestEmailAdapter : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_certFile;
    QString m_keyFile;
    std::unique_ptr<CurlMulti> m_multi;
    std::vector<std::unique_ptr<SmtpServer>> m_servers;

    QStringList tlsArgs(const QString &mode) const
    {
        return {mode, u"--cert"_s, m_certFile, u"--key"_s, m_keyFile};
    }
    static QStringList authArgs()
    {
        return {u"--user"_s, u"ferry"_s, u"--password"_s, u"s3cret"_s};
    }

    // Starts a server and waits until it listens; null (and a failed check) if it does not.
    SmtpServer *server(const QStringList &arguments)
    {
        m_servers.push_back(std::make_unique<SmtpServer>(m_dir.path(), arguments));
        SmtpServer *s = m_servers.back().get();
        if (!s->start())
            return nullptr;
        QDeadlineTimer deadline(20000);
        while (s->port() == 0 && s->isRunning() && !deadline.hasExpired())
            QTest::qWait(20);
        return s->port() != 0 ? s : nullptr;
    }

    Delivery delivery(const QString &url, const QString &password = u"s3cret"_s) const
    {
        Delivery d;
        d.id = QUuid::createUuid();
        d.eventId = QUuid::createUuid();
        d.account.id = 7;
        d.account.name = u"shop-mail"_s;
        d.account.provider = u"smtp"_s;
        d.account.baseUrl = url;
        d.account.secret = QJsonObject{{"username"_L1, "ferry"_L1},
                                       {"password"_L1, password},
                                       {"from"_L1, "alerts@shop.example"_L1},
                                       {"from_name"_L1, "Shop Alerts"_L1},
                                       {"ca_file"_L1, m_certFile}};
        d.message.to = u"ana@customer.example"_s;
        d.message.subject = u"Your order"_s;
        d.message.text = u"Order 42 is on its way.\nThanks!"_s;
        d.message.html = u"<p>Order <b>42</b> is on its way.</p>"_s;
        d.target = d.message.to;
        return d;
    }

    // Sends one delivery and runs the multi handle until its outcome is reported.
    std::optional<Outcome> deliver(const Delivery &d, qint64 timeoutMs = 10000)
    {
        EmailAdapter adapter(*m_multi, EmailAdapter::Options{timeoutMs, nullptr});
        std::optional<Outcome> outcome;
        adapter.setDone([&](const QUuid &id, const Outcome &o) {
            if (id == d.id)
                outcome = o;
        });
        adapter.send(d);
        QDeadlineTimer deadline(timeoutMs + 20000);
        while (!outcome && !deadline.hasExpired()) {
            m_multi->wait(-1, 100);
            m_multi->perform();
            adapter.poll();
        }
        return outcome;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto cert = agent::api::generateSelfSigned({u"localhost"_s, u"127.0.0.1"_s});
        QVERIFY2(cert.ok(), qPrintable(cert.ok() ? QString() : cert.error().message));
        m_certFile = m_dir.filePath(u"smtp-cert.pem"_s);
        m_keyFile = m_dir.filePath(u"smtp-key.pem"_s);
        QFile c(m_certFile), k(m_keyFile);
        QVERIFY(c.open(QIODevice::WriteOnly) && c.write(cert->certificatePem) > 0);
        QVERIFY(k.open(QIODevice::WriteOnly) && k.write(cert->privateKeyPem) > 0);
    }

    void init() { m_multi = std::make_unique<CurlMulti>(8); }

    void cleanup()
    {
        m_multi.reset();
        m_servers.clear();
    }

    void startTlsWithAuthenticationDeliversTheMessageAsBuilt()
    {
        SmtpServer *s = server(tlsArgs(u"--starttls"_s) + authArgs());
        QVERIFY(s);
        Delivery d = delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port()));
        d.message.subject = u"Commande confirmée ✓ — 注文番号 42, arrivée prévue demain matin"_s;
        const auto outcome = deliver(d);
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Delivered);
        QCOMPARE(outcome->statusCode, 250);
        const QString id = d.id.toString(QUuid::WithoutBraces);
        QCOMPARE(outcome->providerMessageId, u"<%1@ferry.shop.example>"_s.arg(id));

        QCOMPARE(s->messages().size(), 1);
        const QJsonObject m = s->messages().constFirst();
        QCOMPARE(m.value("mail_from"_L1).toString(), u"alerts@shop.example"_s);
        QCOMPARE(m.value("rcpt_tos"_L1).toArray(), QJsonArray{u"ana@customer.example"_s});
        const auto h = headers(m);
        QCOMPARE(h.value(u"From"_s), u"\"Shop Alerts\" <alerts@shop.example>"_s);
        QCOMPARE(h.value(u"To"_s), u"ana@customer.example"_s);
        QCOMPARE(h.value(u"Message-ID"_s), outcome->providerMessageId);
        QCOMPARE(h.value(u"MIME-Version"_s), u"1.0"_s);
        QCOMPARE(h.value(u"X-Ferry-Delivery-Id"_s), id);
        QCOMPARE(h.value(u"X-Ferry-Event-Id"_s), d.eventId.toString(QUuid::WithoutBraces));
        QVERIFY(QDateTime::fromString(h.value(u"Date"_s), Qt::RFC2822Date).isValid());
        QVERIFY2(h.value(u"Subject"_s).startsWith(u"=?UTF-8?B?"_s), qPrintable(h[u"Subject"_s]));
        QCOMPARE(m.value("subject"_L1).toString(), d.message.subject);
        QCOMPARE(m.value("content_type"_L1).toString(), u"multipart/alternative"_s);
        QCOMPARE(unixLines(m.value("text"_L1).toString()), d.message.text);
        QCOMPARE(unixLines(m.value("html"_L1).toString()), d.message.html);
        QCOMPARE(m.value("text_charset"_L1).toString(), u"utf-8"_s);
        // Credentials only inside TLS.
        QVERIFY2(s->output().contains(u"command AUTH tls"_s), qPrintable(s->output()));
        QVERIFY(!s->output().contains(u"command AUTH\n"_s));

        // A retry of the same delivery is the same message to the receiving side.
        d.attempt = 2;
        const auto again = deliver(d);
        QVERIFY(again && again->kind == Outcome::Kind::Delivered);
        QCOMPARE(s->messages().size(), 2);
        QCOMPARE(headers(s->messages().at(1)).value(u"Message-ID"_s), h.value(u"Message-ID"_s));
    }

    void implicitTlsDelivers()
    {
        SmtpServer *s = server(tlsArgs(u"--implicit-tls"_s) + authArgs());
        QVERIFY(s);
        const Delivery d = delivery(u"smtps://127.0.0.1:%1"_s.arg(s->port()));
        const auto outcome = deliver(d);
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Delivered);
        QCOMPARE(s->messages().size(), 1);
        QCOMPARE(s->messages().constFirst().value("subject"_L1).toString(), u"Your order"_s);
        QCOMPARE(headers(s->messages().constFirst()).value(u"Subject"_s), u"Your order"_s);
    }

    void aMessageWithoutHtmlIsPlainText()
    {
        SmtpServer *s = server(tlsArgs(u"--starttls"_s) + authArgs());
        QVERIFY(s);
        Delivery d = delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port()));
        d.message.html.clear();
        d.message.text = u"Ünïcödé text with a line longer than seventy-six characters, so "
                         "that quoted-printable has to break it softly.\n.a dot line"_s;
        const auto outcome = deliver(d);
        QVERIFY(outcome && outcome->kind == Outcome::Kind::Delivered);
        const QJsonObject m = s->messages().constFirst();
        QCOMPARE(m.value("content_type"_L1).toString(), u"text/plain"_s);
        QVERIFY(m.value("html"_L1).isNull());
        QCOMPARE(unixLines(m.value("text"_L1).toString()), d.message.text + u'\n');
        QCOMPARE(m.value("text_transfer_encoding"_L1).toString(), u"quoted-printable"_s);
    }

    void aRefusedRecipientIsClassifiedByTheReply_data()
    {
        QTest::addColumn<QString>("knob");
        QTest::addColumn<int>("status");
        QTest::addColumn<Outcome::Kind>("kind");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("error");
        QTest::newRow("550") << u"--reject-permanent"_s << 550 << Outcome::Kind::Permanent
                             << u"smtp_5xx"_s
                             << u"SMTP 550 5.1.1 <ana@customer.example>: mailbox unavailable"_s;
        QTest::newRow("451") << u"--reject-transient"_s << 451 << Outcome::Kind::Retryable
                             << u"smtp_4xx"_s
                             << u"SMTP 451 4.3.0 <ana@customer.example>: try again later"_s;
    }

    void aRefusedRecipientIsClassifiedByTheReply()
    {
        QFETCH(QString, knob);
        QFETCH(int, status);
        QFETCH(Outcome::Kind, kind);
        QFETCH(QString, reason);
        QFETCH(QString, error);
        SmtpServer *s =
            server(tlsArgs(u"--starttls"_s) + authArgs() + QStringList{knob, u"ana@.*"_s});
        QVERIFY(s);
        const auto outcome = deliver(delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port())));
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, kind);
        QCOMPARE(outcome->statusCode, status);
        QCOMPARE(outcome->reason, reason);
        QCOMPARE(outcome->error, error); // the server's reply, not libcurl's summary
        QVERIFY(s->messages().isEmpty());
    }

    void aWrongPasswordIsPermanentAuth()
    {
        SmtpServer *s = server(tlsArgs(u"--starttls"_s) + authArgs());
        QVERIFY(s);
        const auto outcome = deliver(delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port()), u"wrong"_s));
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Permanent);
        QCOMPARE(outcome->reason, u"auth"_s);
        QCOMPARE(outcome->statusCode, 535);
        QVERIFY2(outcome->error.startsWith(u"SMTP 535"_s), qPrintable(outcome->error));
        QVERIFY(!s->output().contains(u"command MAIL"_s));
    }

    void aRefusedConnectionIsRetryable()
    {
        const quint16 port = test::freePort(); // nothing listens there
        QVERIFY(port != 0);
        const auto outcome = deliver(delivery(u"smtp://127.0.0.1:%1"_s.arg(port)));
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Retryable);
        QCOMPARE(outcome->reason, u"connect"_s);
    }

    void aSilentServerTimesOut()
    {
        QTcpServer silent; // accepts connections (the kernel does) and never greets
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        const auto outcome =
            deliver(delivery(u"smtp://127.0.0.1:%1"_s.arg(silent.serverPort())), 1000);
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Retryable);
        QCOMPARE(outcome->reason, u"timeout"_s);
    }

    void aConnectionLostAfterTheDataIsUnknown()
    {
        SmtpServer *s = server(tlsArgs(u"--starttls"_s) + authArgs() +
                               QStringList{u"--drop-after-data"_s, u"ana@.*"_s});
        QVERIFY(s);
        const auto outcome = deliver(delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port())));
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Unknown);
        QCOMPARE(outcome->statusCode, 354);
        QCOMPARE(outcome->reason, u"no_response"_s);
        // The server had the whole message: resending it is the only way to be sure.
        QCOMPARE(s->messages().size(), 1);
        QVERIFY(s->messages().constFirst().value("dropped"_L1).toBool());
    }

    void aServerWithoutStartTlsGetsNoCredentials()
    {
        SmtpServer *s = server(authArgs());
        QVERIFY(s);
        const auto outcome = deliver(delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port())));
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Retryable);
        QCOMPARE(outcome->reason, u"tls"_s);
        QVERIFY2(outcome->error.contains(u"STARTTLS"_s), qPrintable(outcome->error));
        QVERIFY2(s->output().contains(u"command EHLO"_s), qPrintable(s->output()));
        QVERIFY2(!s->output().contains(u"command AUTH"_s), qPrintable(s->output()));
        QVERIFY(!s->output().contains(u"command MAIL"_s));
    }

    void anUntrustedCertificateGetsNoCredentials()
    {
        SmtpServer *s = server(tlsArgs(u"--starttls"_s) + authArgs());
        QVERIFY(s);
        Delivery d = delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port()));
        d.account.secret.remove("ca_file"_L1); // the system's CAs do not know this one
        const auto outcome = deliver(d);
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Retryable);
        QCOMPARE(outcome->reason, u"tls"_s);
        QVERIFY2(!s->output().contains(u"command AUTH"_s), qPrintable(s->output()));
    }

    void theGuardKeepsMailAwayFromInternalAddresses()
    {
        SmtpServer *s = server(tlsArgs(u"--starttls"_s) + authArgs());
        QVERIFY(s);
        const auto guard = SsrfGuard::parse({}); // public addresses only
        QVERIFY(guard.ok());
        Delivery d = delivery(u"smtp://127.0.0.1:%1"_s.arg(s->port()));
        d.guard = &*guard;
        const auto outcome = deliver(d);
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Permanent);
        QCOMPARE(outcome->reason, u"ssrf_blocked"_s);
        QVERIFY(!s->output().contains(u"command EHLO"_s));
    }

    void aBadAccountOrRecipientIsRefusedWithoutConnecting_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("reason");
        QTest::newRow("https url") << u"baseUrl"_s << u"https://mail.example"_s << u"credential"_s;
        QTest::newRow("no url") << u"baseUrl"_s << QString() << u"credential"_s;
        QTest::newRow("other provider") << u"provider"_s << u"twilio"_s << u"credential"_s;
        QTest::newRow("no from") << u"from"_s << QString() << u"credential"_s;
        QTest::newRow("two recipients")
            << u"to"_s << u"a@x.example, b@y.example"_s << u"invalid_recipient"_s;
        QTest::newRow("header in recipient")
            << u"to"_s << u"a@x.example\r\nBcc: c@z.example"_s << u"invalid_recipient"_s;
    }

    void aBadAccountOrRecipientIsRefusedWithoutConnecting()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, reason);
        Delivery d = delivery(u"smtp://127.0.0.1:%1"_s.arg(test::freePort()));
        if (field == u"baseUrl"_s)
            d.account.baseUrl = value;
        else if (field == u"provider"_s)
            d.account.provider = value;
        else if (field == u"from"_s)
            d.account.secret.insert("from"_L1, value);
        else
            d.message.to = value;
        const auto outcome = deliver(d);
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, Outcome::Kind::Permanent);
        QCOMPARE(outcome->reason, reason);
        QVERIFY(!outcome->error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEmailAdapter)
#include "tst_emailadapter.moc"
