// ferry-provider-sim: Twilio, Meta's WhatsApp Cloud API and FCM HTTP v1 in one local process,
// with their wire formats, credentials, error bodies and signed status callbacks, plus fault
// knobs (latency, errors, throttling, timeouts, resets, lost answers) for the tests and the
// demo. See tests/simulators/README.md.
#include "simserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTextStream>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

using ferry::sim::SimServer;

void fail(const QString &message)
{
    QTextStream(stderr) << "ferry-provider-sim: " << message << Qt::endl;
    std::exit(2);
}

QList<QCommandLineOption> options()
{
    QList<QCommandLineOption> list{
        {u"listen"_s, u"host:port to listen on (default 127.0.0.1:0)."_s, u"ADDR"_s,
         u"127.0.0.1:0"_s},
        {u"port"_s, u"Port to listen on (0: any free one); overrides --listen's."_s, u"PORT"_s},
        {u"seed"_s, u"Seed of the fault draws and ids (default: random)."_s, u"N"_s},
        {u"tls-cert"_s, u"Serve HTTPS with this PEM certificate (with --tls-key)."_s, u"FILE"_s},
        {u"tls-key"_s, u"The PEM private key of --tls-cert."_s, u"FILE"_s},
        {u"twilio-account"_s, u"A Twilio account SID:TOKEN; repeatable."_s, u"SID:TOKEN"_s},
        {u"twilio-callback-override"_s, u"Send Twilio status callbacks here."_s, u"URL"_s},
        {u"meta-token"_s, u"A Meta access token that passes; repeatable."_s, u"TOKEN"_s},
        {u"meta-app-secret"_s, u"Signs Meta webhooks (X-Hub-Signature-256)."_s, u"SECRET"_s},
        {u"meta-callback"_s, u"Where Meta status webhooks go."_s, u"URL"_s},
        {u"meta-waba-id"_s, u"WhatsApp Business Account id in webhooks."_s, u"ID"_s},
        {u"fcm-project"_s, u"Project id of a written service account (default ferry-sim)."_s,
         u"ID"_s, u"ferry-sim"_s},
        {u"write-fcm-service-account"_s, u"Make a key and write a service-account JSON here."_s,
         u"FILE"_s},
        {u"fcm-service-account"_s, u"Trust this service-account JSON; repeatable."_s, u"FILE"_s},
        {u"knobs"_s, u"Knobs as /_sim/knobs takes them (JSON); repeatable."_s, u"JSON"_s},
        {u"max-messages"_s, u"Accepted messages remembered per provider (default 500000)."_s,
         u"N"_s, u"500000"_s},
    };
    for (const ferry::sim::KnobInfo &k : ferry::sim::knobTable())
        list.append({QString::fromLatin1(k.name).replace(u'_', u'-'),
                     QString::fromLatin1(k.help) + u" All providers."_s, u"VALUE"_s});
    return list;
}

void applyKnobFlags(SimServer &server, const QCommandLineParser &parser)
{
    QJsonObject all{{u"provider"_s, u"all"_s}};
    for (const ferry::sim::KnobInfo &k : ferry::sim::knobTable()) {
        const QString flag = QString::fromLatin1(k.name).replace(u'_', u'-');
        if (parser.isSet(flag))
            all.insert(QLatin1StringView(k.name), parser.value(flag).toDouble());
    }
    QList<QJsonObject> sets{all};
    for (const QString &json : parser.values(u"knobs"_s))
        sets.append(QJsonDocument::fromJson(json.toUtf8()).object());
    for (const QJsonObject &set : sets) {
        if (auto applied = server.applyKnobs(set, true); !applied)
            fail(applied.error().message);
    }
}

void configureProviders(SimServer &server, const QCommandLineParser &parser)
{
    for (const QString &account : parser.values(u"twilio-account"_s)) {
        const qsizetype colon = account.indexOf(u':');
        if (colon <= 0)
            fail(u"--twilio-account takes SID:TOKEN"_s);
        server.twilio().addAccount(account.left(colon), account.mid(colon + 1));
    }
    if (parser.isSet(u"twilio-callback-override"_s))
        server.twilio().setCallbackOverride(QUrl(parser.value(u"twilio-callback-override"_s)));
    for (const QString &token : parser.values(u"meta-token"_s))
        server.meta().addToken(token.toUtf8());
    server.meta().setAppSecret(parser.value(u"meta-app-secret"_s).toUtf8());
    if (parser.isSet(u"meta-callback"_s))
        server.meta().setCallback(QUrl(parser.value(u"meta-callback"_s)));
    if (parser.isSet(u"meta-waba-id"_s))
        server.meta().setBusinessAccountId(parser.value(u"meta-waba-id"_s));
    for (const QString &file : parser.values(u"fcm-service-account"_s)) {
        if (auto trusted = server.fcm().loadServiceAccount(file); !trusted)
            fail(trusted.error().message);
    }
    const qsizetype limit = parser.value(u"max-messages"_s).toLongLong();
    for (ferry::sim::Provider *p : std::initializer_list<ferry::sim::Provider *>{
             &server.twilio(), &server.meta(), &server.fcm()})
        p->setMessageLimit(limit);
    applyKnobFlags(server, parser);
}

void setUpTls(SimServer &server, const QCommandLineParser &parser)
{
    QFile certFile(parser.value(u"tls-cert"_s)), keyFile(parser.value(u"tls-key"_s));
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        fail(u"cannot read --tls-cert or --tls-key"_s);
    const auto certs = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
    if (certs.isEmpty() || key.isNull())
        fail(u"--tls-cert or --tls-key is not valid PEM"_s);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(certs);
    tls.setPrivateKey(key);
    server.sslSetup(tls);
}

// Listens where --listen and --port say; exits when it cannot.
quint16 listen(SimServer &server, const QCommandLineParser &parser)
{
    const QString addr = parser.value(u"listen"_s);
    const qsizetype colon = addr.lastIndexOf(u':');
    quint16 port = addr.mid(colon + 1).toUShort();
    if (parser.isSet(u"port"_s))
        port = parser.value(u"port"_s).toUShort();
    port = colon > 0 ? server.listen(QHostAddress(addr.left(colon)), port) : 0;
    if (port == 0)
        fail(u"cannot listen on %1"_s.arg(addr));
    return port;
}

void writeServiceAccount(SimServer &server, const QCommandLineParser &parser, bool tls,
                         quint16 port)
{
    const QHostAddress host(parser.value(u"listen"_s).section(u':', 0, -2));
    const QString local = host == QHostAddress::Any || host == QHostAddress::AnyIPv4
                              ? u"127.0.0.1"_s
                              : host.toString();
    const QString tokenUri =
        u"%1://%2:%3/token"_s.arg(tls ? u"https"_s : u"http"_s, local).arg(port);
    if (auto written = server.fcm().writeServiceAccount(
            parser.value(u"write-fcm-service-account"_s), parser.value(u"fcm-project"_s), tokenUri);
        !written)
        fail(written.error().message);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Twilio, Meta WhatsApp Cloud API and FCM HTTP v1, "
                                     "simulated for Ferry's tests and demo."_s);
    parser.addHelpOption();
    parser.addOptions(options());
    parser.process(app);

    const quint64 seed = parser.isSet(u"seed"_s) ? parser.value(u"seed"_s).toULongLong()
                                                 : QRandomGenerator::global()->generate64();
    SimServer server(seed);
    configureProviders(server, parser);
    const bool tls = parser.isSet(u"tls-cert"_s);
    if (tls)
        setUpTls(server, parser);

    const quint16 port = listen(server, parser);
    if (parser.isSet(u"write-fcm-service-account"_s))
        writeServiceAccount(server, parser, tls, port);
    QTextStream(stdout) << "listening on " << port << Qt::endl;
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    return app.exec();
}
