// ferryctl: Ferry from the shell. `send` publishes JSON-lines CloudEvents over ZeroMQ
// (agent/ctl/sendcommand.cpp); the other commands use the agent's TLS API
// (agent/ctl/apicommands.cpp).
#include "agent/ctl/apicommands.h"
#include "agent/ctl/ctlio.h"
#include "agent/ctl/sendcommand.h"

#include <QCommandLineParser>
#include <QCoreApplication>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ferryctl"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Ferry from the shell.\n\nCommands:\n"
        "  send [FILE|-]   publish CloudEvents, one JSON object per line, over ZeroMQ;\n"
        "                  prints accepted / duplicate / rejected counts with the reasons\n"
        "\nThrough the agent's TLS API (log in first; tables by default, --json for JSON):\n"
        "  login --url https://HOST:7643 [--token-file FILE] [--pin sha256/… | --cacert FILE]\n"
        "                  the API token on standard input (prompted for, not echoed) or in\n"
        "                  FILE; never on the command line, where other users can read it\n"
        "  logout\n"
        "  overview\n"
        "  tenants [list] | tenants show NAME | tenants create NAME\n"
        "  tenants networks NAME [CIDR…]   the tenant's own allowed internal networks\n"
        "                  (global admins; none given: clear)\n"
        "  tenants rename NAME DISPLAY-NAME | tenants disable|enable NAME   (global admins)\n"
        "  routes [list] [--tenant T] | routes show ID\n"
        "  deliveries [--tenant --state --channel --since --until --event --partition-key]\n"
        "  deliveries show ID\n"
        "  dlq list [filters] | dlq show ID | dlq replay ID… | dlq replay [filters] [--dry-run]\n"
        "  dlq groups [--tenant T] [--channel C] [--since TIME] [--limit N]   by tenant, route\n"
        "                  and reason, largest first\n"
        "  dlq discard ID --reason R | dlq note ID TEXT [--assignee WHO] [--status S]\n"
        "  tokens [list] [--tenant T] | tokens revoke ID   API tokens (admin tokens)\n"
        "  tokens create --role viewer|operator|admin [--tenant T] [--name TEXT]\n"
        "                [--expires-in 90d]   prints the new token's secret, once\n"
        "  agents          the agents on the database: version, uptime, singleton jobs\n"
        "  report --tenant T --from TIME --to TIME [--csv] [--output FILE]\n"
        "  audit [--tenant T] [--actor TEXT] [--action A | --action FAMILY.*] [--since TIME]\n"
        "        [--until TIME] [--limit N] [--before ID] [--csv [--output FILE]]\n"
        "  templates list --tenant T | templates show|delete --tenant T CHANNEL TYPE\n"
        "  templates put --tenant T CHANNEL TYPE [--subject S] [--text-file F] [--html-file F]\n"
        "                [--options-file F] [--sample-file F]   (TYPE '*': every event type)\n"
        "  schemas list --tenant T [--event-type TYPE] | schemas delete --tenant T TYPE VERSION\n"
        "  schemas put --tenant T TYPE VERSION [--field PATH[:TYPE]]… [--description TEXT]\n"
        "                [--schema-file F]   a version of an event type and its required fields\n"
        "  schemas strict --tenant T on|off   refuse events that do not match (docs/schemas.md)\n"
        "\nInbound webhooks, also through the API (see docs/inbound.md):\n"
        "  connectors list --tenant T | connectors delete --tenant T NAME\n"
        "  connectors put --tenant T NAME --kind stripe|twilio|whatsapp|standard-webhooks|hmac\n"
        "                --secrets-file FILE|- [--settings-file FILE]   one secret per line, or\n"
        "                {\"secrets\": […], \"verify_token\": …}; never on the command line\n"
        "  inbox [list] --tenant T [--state pending|done|dead] [--limit N]\n"
        "  inbox replay --tenant T ID…\n"
        "  messages --tenant T [--limit N]   provider status and cost of sent messages\n"
        "  prices set --tenant T CHANNEL --unit-cost X --currency CUR\n"
        "  reconcile --tenant T [--wait]     ask the providers about messages without a receipt\n"
        "  reconciliation --tenant T [--run ID] [--limit N]   runs and the drifts they found\n"
        "\nWorkflows (see docs/workflows.md):\n"
        "  workflows list --tenant T | workflows delete --tenant T NAME\n"
        "  workflows put --tenant T NAME --definition-file FILE|-\n"
        "  workflows instances --tenant T [--workflow W] [--state S] [--limit N]\n"
        "\nSchedules and exec jobs (see docs/api.md):\n"
        "  schedules list --tenant T | schedules show|delete|pause|resume --tenant T NAME\n"
        "  schedules put --tenant T NAME --cron EXPR [--time-zone ZONE] --event-type TYPE\n"
        "                [--event-source S] [--data JSON | --data-file FILE]\n"
        "                [--catch-up skip|once|all] [--catch-up-limit N] [--paused]\n"
        "  schedules put --tenant T NAME --definition-file FILE|-   the whole JSON body\n"
        "  jobs list --tenant T [--state S] [--limit N] | jobs cancel --tenant T ID\n"
        "  jobs show --tenant T ID [--follow]   --follow: a line per change until it ends\n"
        "\nThe login is kept in $XDG_CONFIG_HOME/ferry/ferryctl.json (mode 0600; FERRYCTL_CONFIG\n"
        "names another file); FERRY_API_URL and FERRY_API_TOKEN override it."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    ferry::ctl::addSendOptions(parser);
    ferry::ctl::addApiOptions(parser);
    parser.addPositionalArgument(u"command"_s, u"send, login, tenants, dlq… (see above)"_s);
    parser.process(app);
    const QStringList args = parser.positionalArguments();
    if (args.value(0) == "send"_L1)
        return ferry::ctl::runSendCommand(parser, args);
    if (ferry::ctl::isApiCommand(args.value(0)))
        return ferry::ctl::runApiCommand(parser, args);
    return ferry::ctl::usage(args.isEmpty()
                                 ? u"no command given; see ferryctl --help"_s
                                 : u"unknown command '%1'; see ferryctl --help"_s.arg(args[0]));
}
