#include "demo/options.h"

#include "demo/terminal.h"

#include <QCommandLineParser>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        u"Runs Ferry end to end: a private tenant, a webhook receiver that fails some requests "
        "on purpose, provider simulators (Twilio, WhatsApp, FCM) and an SMTP server, "
        "ferry-agent, and a burst of events. Needs FERRY_DATABASE_URL."_s);
    parser.addHelpOption();
    parser.addOptions({
        {u"events"_s, u"Events to send (default 10000)."_s, u"N"_s, u"10000"_s},
        {u"fail-rate"_s,
         u"Share of webhook requests the receiver answers with 500 (default 0.2)."_s, u"R"_s,
         u"0.2"_s},
        {u"message-every"_s,
         u"Every Nth event is a shipping notice that also goes out as email, SMS, WhatsApp and "
         "push (default 20; 0: webhooks only)."_s,
         u"N"_s, u"20"_s},
        {u"keep-running"_s,
         u"After the summary, keep the agent and receiver running until Ctrl-C."_s},
        {u"console"_s, u"Like --keep-running, and open ferry-console connected to the demo agent "
                       "(needs a display)."_s},
        {u"console-path"_s, u"Path of ferry-console."_s, u"PATH"_s,
         QStringLiteral(FERRY_DEMO_CONSOLE)},
        {u"http-port"_s, u"Agent HTTP port (default: a free one)."_s, u"PORT"_s, u"0"_s},
        {u"receiver-port"_s, u"Receiver port (default: a free one)."_s, u"PORT"_s, u"0"_s},
        {u"api-port"_s, u"Agent TLS API port (default: 7643 when free, else a free one)."_s,
         u"PORT"_s, u"0"_s},
        {u"timeout"_s, u"Seconds to wait for deliveries (default 180)."_s, u"SECONDS"_s, u"180"_s},
        {u"agent"_s, u"Path of ferry-agent."_s, u"PATH"_s, QStringLiteral(FERRY_DEMO_AGENT)},
        {u"receiver"_s, u"Path of ferry-webhook-receiver."_s, u"PATH"_s,
         QStringLiteral(FERRY_DEMO_RECEIVER)},
        {u"provider-sim"_s, u"Path of ferry-provider-sim."_s, u"PATH"_s,
         QStringLiteral(FERRY_DEMO_PROVIDER_SIM)},
        {u"smtp-server"_s, u"Path of the SMTP server script (run with /usr/bin/python3)."_s,
         u"PATH"_s, QStringLiteral(FERRY_DEMO_SOURCE_DIR "/tests/simulators/smtp-server.py")},
    });
}

Result<void> readNumbers(const QCommandLineParser &parser, Options &o)
{
    bool ok1 = false;
    bool ok2 = false;
    bool ok3 = false;
    bool ok4 = false;
    bool ok5 = false;
    bool ok6 = false;
    bool ok7 = false;
    o.events = parser.value(u"events"_s).toInt(&ok1);
    o.failRate = parser.value(u"fail-rate"_s).toDouble(&ok2);
    o.httpPort = parser.value(u"http-port"_s).toUShort(&ok3);
    o.receiverPort = parser.value(u"receiver-port"_s).toUShort(&ok4);
    o.apiPort = parser.value(u"api-port"_s).toUShort(&ok6);
    o.timeoutSeconds = parser.value(u"timeout"_s).toInt(&ok5);
    o.messageEvery = parser.value(u"message-every"_s).toInt(&ok7);
    if (!ok1 || o.events < 1)
        return makeError(u"--events takes a whole number of 1 or more"_s);
    if (!ok2 || o.failRate < 0 || o.failRate >= 1)
        return makeError(u"--fail-rate takes a share from 0 up to (not including) 1, e.g. 0.2"_s);
    if (!ok3 || !ok4 || !ok6)
        return makeError(
            u"--http-port, --receiver-port and --api-port take a port number (1-65535)"_s);
    if (!ok7 || o.messageEvery < 0)
        return makeError(u"--message-every takes a whole number, 0 or more"_s);
    if (!ok5 || o.timeoutSeconds < 1)
        return makeError(u"--timeout takes a number of seconds, 1 or more"_s);
    return {};
}

Result<void> checkPrograms(const Options &o)
{
    QList<std::pair<QString, const char *>> programs{{o.agent, "--agent"},
                                                     {o.receiver, "--receiver"}};
    if (o.messageEvery > 0)
        programs.append({o.providerSim, "--provider-sim"});
    for (const auto &[path, option] : std::as_const(programs)) {
        if (!QFileInfo(path).isExecutable())
            return makeError(u"no program at '%1'; build the tree (cmake --build --preset dev; "
                             "the simulators need BUILD_TESTING=ON) or pass its path with %2"_s.arg(
                                 path, QLatin1StringView(option)));
    }
    if (o.messageEvery > 0 && !QFileInfo(o.smtpServer).isReadable())
        return makeError(
            u"no SMTP server script at '%1'; pass its path with --smtp-server"_s.arg(o.smtpServer));
    return {};
}

} // namespace

Result<Options> Options::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    if (!parser.parse(arguments))
        return makeError(parser.errorText() + u" (see ferry-demo --help)"_s);
    if (parser.isSet(u"help"_s)) {
        out() << parser.helpText();
        return makeError({}, 0);
    }

    Options o;
    if (auto ok = readNumbers(parser, o); !ok)
        return ok.error();
    o.openConsole = parser.isSet(u"console"_s);
    o.keepRunning = parser.isSet(u"keep-running"_s) || o.openConsole;
    o.console = parser.value(u"console-path"_s);
    o.agent = parser.value(u"agent"_s);
    o.receiver = parser.value(u"receiver"_s);
    o.providerSim = parser.value(u"provider-sim"_s);
    o.smtpServer = parser.value(u"smtp-server"_s);
    if (auto ok = checkPrograms(o); !ok)
        return ok.error();
    o.databaseUrl = qEnvironmentVariable("FERRY_DATABASE_URL");
    if (o.databaseUrl.isEmpty())
        return makeError(u"FERRY_DATABASE_URL is not set. Point it at a PostgreSQL database the "
                         "demo may use, e.g.\n  export FERRY_DATABASE_URL=$(scripts/pg-embedded.sh "
                         "start .ferry/pg)"_s);
    return o;
}

} // namespace ferry::demo
