#include "agent/ctl/inboundcommands.h"

#include "agent/app/cliio.h"
#include "agent/ctl/apioutput.h"
#include "agent/ctl/ctlio.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

using agent::err;
using agent::out;

constexpr qsizetype kMaxSecrets = 8; // what the agent accepts (rotation: old + new)
constexpr qint64 kMaxSecretsFileBytes =
    qint64(64) * 1024; // 8 secrets and a verify token of 4 KiB each

// /v1/tenants/TENANT/WORD/…: each word one path segment, percent-encoded so that a '/' or '?'
// stays inside it; empty, '.' and '..' are refused (curl would resolve them to another route).
Result<QString> tenantPath(const QCommandLineParser &p, const QStringList &words)
{
    QString path = u"/v1/tenants"_s;
    for (const QString &word : QStringList{p.value(u"tenant"_s)} + words) {
        if (word.isEmpty() || word == "."_L1 || word == ".."_L1)
            return makeError(
                u"'%1' is not a name: give the tenant, connector or channel itself"_s.arg(word));
        path += u'/' + QString::fromLatin1(QUrl::toPercentEncoding(word));
    }
    return path;
}

// A file, or standard input for '-'.
bool openInput(QFile &f, const QString &path)
{
    return path == "-"_L1 ? f.open(stdin, QIODevice::ReadOnly) : f.open(QIODevice::ReadOnly);
}

// At most `max` bytes of standard input; at a terminal after a prompt and without echo.
QByteArray readStandardInput(QFile &in, qint64 max)
{
    termios saved{};
    const bool terminal = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
        err() << "Signing secrets, one per line (not echoed); end with Ctrl-D:" << Qt::endl;
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QByteArray bytes = in.read(max);
    if (terminal)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    return bytes;
}

// {"secrets": […], "verify_token": …} as the file holds it. Messages never quote the file.
Result<QJsonObject> secretsFromJson(const QString &path, const QByteArray &text)
{
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(text, &error).object();
    if (error.error != QJsonParseError::NoError)
        return makeError(
            u"%1 starts with '{' but is not JSON (%2); give one secret per line or "
            "{\"secrets\": […], \"verify_token\": …}"_s.arg(path, error.errorString()));
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != "secrets"_L1 && it.key() != "verify_token"_L1)
            return makeError(
                u"%1: unknown field '%2'; the file holds \"secrets\" and, for "
                "whatsapp, \"verify_token\" (--kind and --settings-file give the rest)"_s.arg(
                    path, it.key()));
    }
    const QJsonArray secrets = o.value("secrets"_L1).toArray();
    const bool strings = std::all_of(secrets.begin(), secrets.end(), [](const QJsonValue &v) {
        return v.isString() && !v.toString().isEmpty();
    });
    if (!o.value("secrets"_L1).isArray() || !strings)
        return makeError(u"%1: \"secrets\" is a list of non-empty strings"_s.arg(path));
    if (o.contains("verify_token"_L1) && !o.value("verify_token"_L1).isString())
        return makeError(u"%1: \"verify_token\" is a string"_s.arg(path));
    return o;
}

// One secret a line; blank lines are left out.
QJsonObject secretsFromLines(const QByteArray &text)
{
    QJsonArray secrets;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            secrets.append(QString::fromUtf8(line.trimmed()));
    }
    return {{u"secrets"_s, secrets}};
}

// The connector's secrets from a file ('-': standard input), never from an argument (it would
// show in ps and the shell's history): {"secrets": […]} and perhaps "verify_token".
Result<QJsonObject> readSecrets(const QString &path)
{
    QFile f(path);
    if (!openInput(f, path))
        return makeError(u"cannot read %1: %2"_s.arg(path, f.errorString()));
    const QString name = path == "-"_L1 ? u"standard input"_s : path;
    const QByteArray text = (path == "-"_L1 ? readStandardInput(f, kMaxSecretsFileBytes + 1)
                                            : f.read(kMaxSecretsFileBytes + 1))
                                .trimmed();
    if (text.size() > kMaxSecretsFileBytes)
        return makeError(u"%1 is larger than 64 KiB; it holds up to %2 signing secrets, one per "
                         "line"_s.arg(name)
                             .arg(kMaxSecrets));
    auto body = text.startsWith('{') ? secretsFromJson(name, text)
                                     : Result<QJsonObject>(secretsFromLines(text));
    if (!body)
        return body;
    const qsizetype n = body->value("secrets"_L1).toArray().size();
    if (n == 0)
        return makeError(u"%1 holds no secret: give one signing secret per line, or "
                         "{\"secrets\": […], \"verify_token\": …}"_s.arg(name));
    if (n > kMaxSecrets)
        return makeError(u"%1 holds %2 secrets; a connector accepts at most %3 (the old and the "
                         "new one while a provider rotates)"_s.arg(name)
                             .arg(n)
                             .arg(kMaxSecrets));
    return body;
}

Result<QJsonObject> readSettings(const QString &path)
{
    QFile f(path);
    if (!openInput(f, path))
        return makeError(u"cannot read %1: %2"_s.arg(path, f.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (!doc.isObject())
        return makeError(
            u"%1 does not hold a JSON object such as {\"tolerance_seconds\": 300}: "
            "%2"_s.arg(path, error.error ? error.errorString() : u"it holds another JSON value"_s));
    return doc.object();
}

int putConnector(const ApiProfile &profile, const QCommandLineParser &p, const QString &path)
{
    if (!p.isSet(u"kind"_s) || !p.isSet(u"secrets-file"_s))
        return usage(u"connectors put --tenant T NAME --kind stripe|twilio|whatsapp|"
                     "standard-webhooks|hmac --secrets-file FILE|- [--settings-file FILE]; the "
                     "secrets come from the file ('-': standard input), never from an argument"_s);
    if (p.value(u"secrets-file"_s) == "-"_L1 && p.value(u"settings-file"_s) == "-"_L1)
        return usage(u"standard input can hold the secrets or the settings, not both: give "
                     "--settings-file a file"_s);
    QJsonObject settings;
    if (p.isSet(u"settings-file"_s)) {
        auto read = readSettings(p.value(u"settings-file"_s));
        if (!read)
            return usage(read.error().message);
        settings = *read;
    }
    auto body = readSecrets(p.value(u"secrets-file"_s));
    if (!body)
        return usage(body.error().message);
    body->insert(u"kind"_s, p.value(u"kind"_s));
    if (p.isSet(u"settings-file"_s))
        body->insert(u"settings"_s, settings);
    return post(profile, p, "PUT", path, *body);
}

int deleteConnector(const ApiProfile &profile, const QString &path, const QString &name)
{
    const auto r = apiCall(profile, "DELETE", path);
    if (!r.ok())
        return refused(r);
    out() << "deleted the connector " << name << " and its inbox" << Qt::endl;
    return 0;
}

// ids as numbers, the way the API takes them.
int replayInbox(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &words)
{
    QJsonArray ids;
    for (const QString &word : words) {
        bool ok = false;
        const qint64 id = word.toLongLong(&ok);
        if (!ok || id < 1)
            return usage(u"'%1' is not an inbox entry id: give the ids that 'ferryctl inbox list "
                         "--state dead' shows"_s.arg(word));
        ids.append(id);
    }
    const auto path = tenantPath(p, {u"inbox"_s, u"replay"_s});
    if (!path)
        return usage(path.error().message);
    return post(profile, p, "POST", *path, {{u"ids"_s, ids}});
}

int listInbox(const ApiProfile &profile, const QCommandLineParser &p)
{
    const auto path = tenantPath(p, {u"inbox"_s});
    if (!path)
        return usage(path.error().message);
    return list(profile, p,
                withFilters(p, *path, {{u"state"_s, u"state"_s}, {u"limit"_s, u"limit"_s}}),
                {{u"id"_s, u"id"_s},
                 {u"connector"_s, u"connector"_s},
                 {u"provider event"_s, u"provider_event_id"_s},
                 {u"state"_s, u"state"_s},
                 {u"attempts"_s, u"attempts"_s},
                 {u"received"_s, u"received_at"_s},
                 {u"processed"_s, u"processed_at"_s},
                 {u"outcome"_s, u"outcome"_s},
                 {u"last error"_s, u"last_error"_s}});
}

} // namespace

int connectors(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    const QString usageText =
        u"connectors list --tenant T | connectors put --tenant T NAME --kind KIND "
        "--secrets-file FILE|- [--settings-file FILE] | connectors delete --tenant T NAME"_s;
    if (!p.isSet(u"tenant"_s))
        return usage(usageText);
    const auto path = tenantPath(p, QStringList{u"connectors"_s} + args.mid(2, 1));
    if (!path)
        return usage(path.error().message);
    if ((sub.isEmpty() || sub == "list"_L1) && args.size() <= 2)
        return list(profile, p, *path,
                    {{u"name"_s, u"name"_s},
                     {u"kind"_s, u"kind"_s},
                     {u"secrets"_s, u"secrets"_s},
                     {u"verify token"_s, u"verify_token"_s},
                     {u"settings"_s, u"settings"_s},
                     {u"updated"_s, u"updated_at"_s}});
    if (sub == "put"_L1 && args.size() == 3)
        return putConnector(profile, p, *path);
    if (sub == "delete"_L1 && args.size() == 3)
        return deleteConnector(profile, *path, args[2]);
    return usage(usageText);
}

int inbox(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    const QString sub = args.value(1);
    if (p.isSet(u"tenant"_s) && (sub.isEmpty() || sub == "list"_L1) && args.size() <= 2)
        return listInbox(profile, p);
    if (p.isSet(u"tenant"_s) && sub == "replay"_L1 && args.size() > 2)
        return replayInbox(profile, p, args.mid(2));
    return usage(u"inbox [list] --tenant T [--state pending|done|dead] [--limit N] | "
                 "inbox replay --tenant T ID…"_s);
}

int messages(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    if (!p.isSet(u"tenant"_s) || args.size() > 2 || (args.size() == 2 && args[1] != "list"_L1))
        return usage(u"messages --tenant T [--limit N]"_s);
    const auto path = tenantPath(p, {u"messages"_s});
    if (!path)
        return usage(path.error().message);
    return list(profile, p, withFilters(p, *path, {{u"limit"_s, u"limit"_s}}),
                {{u"delivery"_s, u"delivery_id"_s},
                 {u"channel"_s, u"channel"_s},
                 {u"provider id"_s, u"provider_message_id"_s},
                 {u"status"_s, u"status"_s},
                 {u"receipts"_s, u"receipts"_s},
                 {u"accepted"_s, u"accepted_at"_s},
                 {u"cost"_s, u"cost"_s},
                 {u"currency"_s, u"currency"_s},
                 {u"estimated"_s, u"cost_estimated"_s},
                 {u"error"_s, u"error"_s}});
}

int prices(const ApiProfile &profile, const QCommandLineParser &p, const QStringList &args)
{
    if (args.value(1) != "set"_L1 || args.size() != 3 || !p.isSet(u"tenant"_s) ||
        !p.isSet(u"unit-cost"_s) || !p.isSet(u"currency"_s))
        return usage(u"prices set --tenant T CHANNEL --unit-cost X --currency CUR (CHANNEL: sms, "
                     "whatsapp, push or email; X: what one message costs, such as 0.0079; CUR: "
                     "an ISO 4217 code such as USD)"_s);
    bool ok = false;
    const double cost = p.value(u"unit-cost"_s).toDouble(&ok);
    if (!ok || !std::isfinite(cost))
        return usage(u"--unit-cost takes a number, what one message costs (such as 0.0079)"_s);
    const auto path = tenantPath(p, {u"prices"_s, args[2]});
    if (!path)
        return usage(path.error().message);
    return post(profile, p, "PUT", *path,
                {{u"unit_cost"_s, cost}, {u"currency"_s, p.value(u"currency"_s)}});
}

void addInboundOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {u"kind"_s, u"connectors put: stripe, twilio, whatsapp, standard-webhooks or hmac."_s,
         u"KIND"_s},
        {u"secrets-file"_s,
         u"connectors put: the signing secrets, one per line or JSON ('-': stdin)."_s, u"FILE"_s},
        {u"settings-file"_s, u"connectors put: the kind's settings, a JSON object."_s, u"FILE"_s},
        {u"unit-cost"_s, u"prices set: what one message costs, such as 0.0079."_s, u"X"_s},
        {u"currency"_s, u"prices set: an ISO 4217 code such as USD or EUR."_s, u"CUR"_s},
    });
}

} // namespace ferry::ctl
