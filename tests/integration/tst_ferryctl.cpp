// ferryctl send: JSON lines from a file or standard input, over ZeroMQ with the credentials
// file that `ferry-agent producer add` prints; counts and reasons at the end.
// ferryctl's API commands against a real agent over TLS: login with the pinned fingerprint
// (a wrong pin and an unpinned self-signed certificate are refused; the token from standard
// input or a file, never from the command line), the token file readable only by the user, tables
// and --json, the DLQ workflow, and a role's refusal.
// The inbound commands: connectors (secrets from a file or standard input, never printed back),
// the inbox, messages and prices, and their refusals.
// Schedules (put, list, show, pause, resume, delete; the API's refusal of a bad cron) and exec
// jobs (listed with their progress, followed, cancelled, and a cancel that comes too late).
#include "tests/support/testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <functional>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestFerryctl : public QObject
{
    Q_OBJECT

    // `ferryctl login`: a token on the command line (readable by every user of the machine in
    // ps) is refused and nothing is saved; on standard input it is taken.
    static void loginTokenNeverFromArguments(const QString &url, const QString &pin,
                                             const QString &admin,
                                             const QHash<QString, QString> &ctlEnv,
                                             const QString &config)
    {
        auto r =
            test::run(QStringLiteral(FERRYCTL_BIN),
                      {u"login"_s, u"--url"_s, url, u"--token"_s, admin, u"--pin"_s, pin}, ctlEnv);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--token-file"_s) && r.err.contains(u"standard input"_s),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(config));

        QProcess piped;
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"FERRYCTL_CONFIG"_s, ctlEnv.value(u"FERRYCTL_CONFIG"_s));
        piped.setProcessEnvironment(environment);
        piped.start(QStringLiteral(FERRYCTL_BIN), {u"login"_s, u"--url"_s, url, u"--pin"_s, pin});
        QVERIFY(piped.waitForStarted());
        piped.write(admin.toUtf8() + "\n");
        piped.closeWriteChannel();
        QVERIFY(piped.waitForFinished(30000));
        QVERIFY2(piped.exitCode() == 0, piped.readAllStandardError().constData());
        QFile saved(config);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(saved.readAll()).object().value("token"_L1).toString(),
                 admin);
        saved.close();
        QVERIFY(QFile::remove(config));
    }

    // `ferryctl connectors put --secrets-file -`: the JSON form on standard input, with
    // WhatsApp's verify token; neither is printed back.
    static void connectorFromStandardInput(const QHash<QString, QString> &ctlEnv)
    {
        QProcess piped;
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"FERRYCTL_CONFIG"_s, ctlEnv.value(u"FERRYCTL_CONFIG"_s));
        piped.setProcessEnvironment(environment);
        piped.start(QStringLiteral(FERRYCTL_BIN),
                    {u"connectors"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"wa"_s, u"--kind"_s,
                     u"whatsapp"_s, u"--secrets-file"_s, u"-"_s});
        QVERIFY(piped.waitForStarted());
        piped.write(R"({"secrets": ["app-secret-never-shown"], "verify_token": "vt-never-shown"})");
        piped.closeWriteChannel();
        QVERIFY(piped.waitForFinished(30000));
        const QByteArray out = piped.readAllStandardOutput();
        QVERIFY2(piped.exitCode() == 0, piped.readAllStandardError().constData());
        QVERIFY2(out.contains("kind: whatsapp") && !out.contains("never-shown"), out.constData());
        auto r =
            test::run(QStringLiteral(FERRYCTL_BIN),
                      {u"connectors"_s, u"list"_s, u"--tenant"_s, u"shop"_s, u"--json"_s}, ctlEnv);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains(u"never-shown"_s), qPrintable(r.out));
        const QJsonObject wa =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value("items"_L1)[1].toObject();
        QCOMPARE(wa.value("name"_L1).toString(), u"wa"_s);
        QCOMPARE(wa.value("verify_token"_L1).toBool(), true);
    }

    // `ferryctl schedules …`: a schedule from options, its table and JSON, pause and resume, one
    // from a definition file, a cron expression the agent refuses, and delete.
    static void scheduleRoundTrip(const QHash<QString, QString> &ctlEnv,
                                  const test::TestDatabase &db, const QString &definition)
    {
        const auto ctl = [&](const QStringList &args) {
            return test::run(
                QStringLiteral(FERRYCTL_BIN),
                QStringList{u"schedules"_s} + args + QStringList{u"--tenant"_s, u"shop"_s}, ctlEnv);
        };
        auto r = ctl({u"put"_s, u"nightly"_s, u"--cron"_s, u"0 2 * * *"_s, u"--time-zone"_s,
                      u"Europe/Berlin"_s, u"--event-type"_s, u"report.nightly"_s, u"--data"_s,
                      uR"({"format":"csv"})"_s, u"--catch-up"_s, u"all"_s, u"--catch-up-limit"_s,
                      u"7"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"cron: 0 2 * * *"_s) && r.out.contains(u"catch_up_limit: 7"_s),
                 qPrintable(r.out));
        r = ctl({u"put"_s, u"hourly"_s, u"--definition-file"_s, definition});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = ctl({u"list"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"NAME"_s) && r.out.contains(u"NEXT FIRE"_s) &&
                     r.out.contains(u"nightly"_s) && r.out.contains(u"0 2 * * *"_s) &&
                     r.out.contains(u"Europe/Berlin"_s) && r.out.contains(u"@every 1h"_s),
                 qPrintable(r.out));
        r = ctl({u"show"_s, u"nightly"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QJsonObject nightly = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(nightly.value("event"_L1)["data"_L1]["format"_L1].toString(), u"csv"_s);
        QCOMPARE(nightly.value("event"_L1)["source"_L1].toString(), u"/schedules/nightly"_s);
        QCOMPARE(nightly.value("catch_up"_L1).toString(), u"all"_s);
        QCOMPARE(nightly.value("upcoming"_L1).toArray().size(), 5);
        // 02:00 in Berlin is 00:00 or 01:00 UTC.
        const QDateTime next =
            QDateTime::fromString(nightly.value("next_fire_at"_L1).toString(), Qt::ISODate);
        QVERIFY2(next > QDateTime::currentDateTimeUtc() && next.toUTC().time().hour() <= 1,
                 qPrintable(next.toString(Qt::ISODate)));

        r = ctl({u"pause"_s, u"nightly"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"paused"_s) && r.out.contains(u"schedules resume"_s),
                 qPrintable(r.out));
        QCOMPARE(db.scalar(u"SELECT paused FROM schedules WHERE name = 'nightly'"_s), u"t"_s);
        r = ctl({u"show"_s, u"nightly"_s});
        QVERIFY2(r.out.contains(u"paused: yes"_s) && r.out.contains(u"next_fire_at: -"_s),
                 qPrintable(r.out));
        r = ctl({u"resume"_s, u"nightly"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"fires next at 20"_s), qPrintable(r.out));
        QCOMPARE(db.scalar(u"SELECT paused FROM schedules WHERE name = 'nightly'"_s), u"f"_s);

        // The agent's refusal, naming the field and what it takes; nothing is stored.
        r = ctl({u"put"_s, u"broken"_s, u"--cron"_s, u"61 * * * *"_s, u"--event-type"_s, u"t"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"422"_s) && r.err.contains(u"cron"_s) &&
                     r.err.contains(u"from 0 to 59"_s),
                 qPrintable(r.err));
        // ferryctl's own: a missing --event-type.
        r = ctl({u"put"_s, u"broken"_s, u"--cron"_s, u"@daily"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--event-type"_s), qPrintable(r.err));
        QCOMPARE(db.scalar(u"SELECT count(*) FROM schedules WHERE name = 'broken'"_s), u"0"_s);

        r = ctl({u"delete"_s, u"nightly"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(db.scalar(u"SELECT string_agg(name, ',') FROM schedules"_s), u"hourly"_s);
        r = ctl({u"show"_s, u"nightly"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"404"_s), qPrintable(r.err));
    }

    // `dlq groups`, `tokens` and `agents` as an admin, with two dead deliveries of shop's route.
    static void adminCommands(const std::function<test::RunResult(const QStringList &)> &ctl)
    {
        auto r = ctl({u"dlq"_s, u"groups"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray groups =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value("items"_L1).toArray();
        QCOMPARE(groups.size(), 1);
        QCOMPARE(groups.first().toObject().value("count"_L1).toInt(), 2);
        QCOMPARE(groups.first().toObject().value("reason"_L1).toString(), u"http_5xx"_s);
        r = ctl({u"dlq"_s, u"groups"_s, u"--tenant"_s, u"shop"_s});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(u"COUNT"_s) && r.out.contains(u"http_5xx"_s),
                 qPrintable(r.out + r.err));

        // A token: created (its secret alone on standard output), listed, revoked.
        r = ctl({u"tokens"_s, u"create"_s, u"--tenant"_s, u"shop"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--role"_s), qPrintable(r.err));
        r = ctl({u"tokens"_s, u"create"_s, u"--role"_s, u"operator"_s, u"--tenant"_s, u"shop"_s,
                 u"--name"_s, u"nightly export"_s, u"--expires-in"_s, u"30d"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString secret = r.out.trimmed();
        QVERIFY2(!secret.isEmpty() && !secret.contains(u' '), qPrintable(r.out));
        QVERIFY2(r.err.contains(u"shown only now"_s), qPrintable(r.err));
        r = ctl({u"tokens"_s, u"--tenant"_s, u"shop"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray tokens =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value("items"_L1).toArray();
        QCOMPARE(tokens.size(), 2); // the shop viewer's and the new one
        const QJsonObject created = tokens.last().toObject();
        QCOMPARE(created.value("name"_L1).toString(), u"nightly export"_s);
        QCOMPARE(created.value("role"_L1).toString(), u"operator"_s);
        QVERIFY(!r.out.contains(secret));
        const QString id = QString::number(created.value("id"_L1).toInteger());
        r = ctl({u"tokens"_s, u"revoke"_s, id});
        QVERIFY2(r.exitCode == 0 && r.out.contains(u"revoked token "_s + id), qPrintable(r.err));
        r = ctl({u"tokens"_s, u"revoke"_s, id});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"409"_s), qPrintable(r.err));

        // The agents on the database: this one, current.
        r = ctl({u"agents"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray agents =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value("items"_L1).toArray();
        QCOMPARE(agents.size(), 1);
        QVERIFY(agents.first().toObject().value("current"_L1).toBool());
        r = ctl({u"agents"_s});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(u"ID"_s) && r.out.contains(u"yes"_s),
                 qPrintable(r.out));
    }

private Q_SLOTS:
    void sendReportsAcceptedDuplicateRejected()
    {
        test::TestDatabase db(u"ferryctl"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, db.url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        QVERIFY(!test::createTenant(db.url(), u"cli"_s).isEmpty());
        const quint16 http = test::freePort(), zmqPort = test::freePort();
        auto added =
            test::run(test::agentBinary(), {u"producer"_s, u"add"_s, u"--tenant"_s, u"cli"_s}, env);
        QCOMPARE(added.exitCode, 0);
        QTemporaryDir dir;
        const QString keys = dir.filePath(u"cli.keys"_s);
        QFile f(keys);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(added.out.toUtf8().replace("tcp://localhost:7600",
                                           "tcp://127.0.0.1:" + QByteArray::number(zmqPort)));
        f.close();

        test::Process agent(test::agentBinary(), {u"run"_s},
                            test::agentEnvironment(db.url(), http, zmqPort));
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(http), qPrintable(agent.output()));

        QByteArray lines;
        for (int i = 0; i < 250; ++i)
            lines += test::cloudEvent(u"cli-%1"_s.arg(i)) + "\n";
        lines += test::cloudEvent(u"cli-3"_s) + "\n"; // duplicate
        lines += "this is not json\n";                // not sent
        lines += R"({"specversion":"1.0","id":"x","type":"t"})"
                 "\n"; // no source
        QProcess ctl;
        ctl.start(QStringLiteral(FERRYCTL_BIN),
                  {u"send"_s, u"-"_s, u"--credentials"_s, keys, u"--batch"_s, u"50"_s});
        QVERIFY(ctl.waitForStarted());
        ctl.write(lines);
        ctl.closeWriteChannel();
        QVERIFY(ctl.waitForFinished(60000));
        const QString out = QString::fromUtf8(ctl.readAllStandardOutput());
        QCOMPARE(ctl.exitCode(), 1); // something was rejected
        QVERIFY2(out.contains(u"accepted  250"_s), qPrintable(out));
        QVERIFY2(out.contains(u"duplicate 1"_s), qPrintable(out));
        QVERIFY2(out.contains(u"rejected  2"_s), qPrintable(out));
        QVERIFY2(out.contains(u"line is not JSON"_s), qPrintable(out));
        QVERIFY2(out.contains(u"missing required attribute 'source'"_s), qPrintable(out));
        QCOMPARE(db.scalar(u"SELECT count(*) FROM events"_s), u"250"_s);

        QProcess bad;
        bad.start(QStringLiteral(FERRYCTL_BIN), {u"send"_s, u"-"_s});
        QVERIFY(bad.waitForFinished(10000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardError().contains("--credentials"));
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }

    void apiCommandsOverTls()
    {
        test::TestDatabase db(u"ferryctlapi"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, db.url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        QVERIFY(!test::createTenant(db.url(), u"shop"_s).isEmpty());
        QVERIFY(!test::addEndpoint(db.url(), u"shop"_s, u"http://127.0.0.1:9/h"_s).isEmpty());
        QTemporaryDir dir;
        auto cert =
            test::run(test::agentBinary(), {u"cert"_s, u"generate"_s, u"--out"_s, dir.path()}, env);
        QCOMPARE(cert.exitCode, 0);
        const QString pin =
            QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        QVERIFY(!pin.isEmpty());
        const auto token = [&](const QStringList &args) {
            return test::run(test::agentBinary(), QStringList{u"token"_s, u"create"_s} + args, env)
                .out.trimmed();
        };
        const QString admin = token({u"--role"_s, u"admin"_s});
        const QString viewer = token({u"--role"_s, u"viewer"_s, u"--tenant"_s, u"shop"_s});
        QVERIFY(!admin.isEmpty() && !viewer.isEmpty());

        const quint16 port = test::freePort();
        auto agentEnv = test::agentEnvironment(db.url(), test::freePort());
        test::addApi(agentEnv, port, dir.path());
        agentEnv.insert(u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"1h"_s); // the DLQ stays as it is
        const QString key = dir.filePath(u"master.key"_s);
        QCOMPARE(
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, key}).exitCode, 0);
        agentEnv.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, key);
        test::Process agent(test::agentBinary(), {u"run"_s}, agentEnv);
        QVERIFY(agent.start());
        const QString url = u"https://127.0.0.1:%1"_s.arg(port);

        const QString config = dir.filePath(u"ctl/ferryctl.json"_s);
        const QHash<QString, QString> ctlEnv{{u"FERRYCTL_CONFIG"_s, config}};
        const auto ctl = [&](const QStringList &args) {
            return test::run(QStringLiteral(FERRYCTL_BIN), args, ctlEnv);
        };
        // The token from a file (the tests' way; a person pastes it on standard input).
        const QString tokenFile = dir.filePath(u"token"_s);
        const auto login = [&](const QString &secret, const QStringList &more) {
            QFile f(tokenFile);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(secret.toUtf8()) < 0)
                return test::RunResult{-1, {}, u"cannot write the token file"_s};
            f.close();
            return ctl(QStringList{u"login"_s, u"--url"_s, url, u"--token-file"_s, tokenFile} +
                       more);
        };
        QTRY_VERIFY_WITH_TIMEOUT(login(admin, {u"--pin"_s, pin}).exitCode == 0, 20000);
        QVERIFY(QFile::remove(config));
        loginTokenNeverFromArguments(url, pin, admin, ctlEnv, config);

        // Not logged in: says how.
        auto r = ctl({u"tenants"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"ferryctl login"_s), qPrintable(r.err));
        // A self-signed certificate without a pin: refused, and the fingerprint is shown.
        r = login(admin, {});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(pin), qPrintable(r.err));
        QVERIFY(!QFile::exists(config));
        // A wrong pin: refused, nothing saved.
        r = login(admin, {u"--pin"_s, u"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"does not match"_s), qPrintable(r.err));
        QVERIFY(!QFile::exists(config));
        // A bad token: refused.
        r = login(u"nope"_s, {u"--pin"_s, pin});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"401"_s), qPrintable(r.err));
        QVERIFY(!QFile::exists(config));

        r = login(admin, {u"--pin"_s, pin});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QFileInfo(config).permissions() &
                     ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
                 QFileDevice::Permissions{});

        r = ctl({u"tenants"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"NAME"_s) && r.out.contains(u"shop"_s), qPrintable(r.out));
        r = ctl({u"tenants"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8())
                     .object()
                     .value("items"_L1)
                     .toArray()
                     .first()
                     .toObject()
                     .value("name"_L1)
                     .toString(),
                 u"shop"_s);

        r = ctl({u"routes"_s, u"--tenant"_s, u"shop"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"http://127.0.0.1:9/h"_s) && r.out.contains(u"webhook"_s),
                 qPrintable(r.out));

        // Two dead deliveries.
        db.exec(u"INSERT INTO events (id, tenant_id, source, ce_id, type, payload) SELECT "
                "gen_random_uuid(), id, '/t', 'dead-' || g, 't', '{}' FROM tenants, "
                "generate_series(1, 2) g; INSERT INTO deliveries (event_id, endpoint_id, "
                "tenant_id, state, attempts, dead_reason, last_error, finished_at) SELECT e.id, "
                "ep.id, e.tenant_id, 'dead', 3, 'http_5xx', 'HTTP 503', now() FROM events e "
                "JOIN endpoints ep ON ep.tenant_id = e.tenant_id"_s);
        const QStringList dead =
            db.scalar(u"SELECT string_agg(id::text, ',' ORDER BY id) FROM deliveries"_s)
                .split(u',');
        QCOMPARE(dead.size(), 2);
        adminCommands(ctl);
        r = ctl({u"dlq"_s, u"list"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(dead[0]) && r.out.contains(u"http_5xx"_s), qPrintable(r.out));
        r = ctl({u"dlq"_s, u"replay"_s, u"--tenant"_s, u"shop"_s, u"--dry-run"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("would_replay"_L1).toInt(),
                 2);
        QCOMPARE(db.scalar(u"SELECT count(*) FROM deliveries WHERE state = 'dead'"_s), u"2"_s);
        r = ctl({u"dlq"_s, u"note"_s, dead[1], u"looking"_s, u"into"_s, u"it"_s, u"--assignee"_s,
                 u"ops"_s});
        QCOMPARE(r.exitCode, 0);
        r = ctl({u"dlq"_s, u"show"_s, dead[1]});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"looking into it"_s), qPrintable(r.out));
        r = ctl({u"dlq"_s, u"replay"_s, dead[0]});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(db.scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(dead[0])),
                 u"pending"_s);
        r = ctl({u"dlq"_s, u"discard"_s, dead[1]});
        QCOMPARE(r.exitCode, 2); // a reason is required
        r = ctl({u"dlq"_s, u"discard"_s, dead[1], u"--reason"_s, u"customer gone"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(db.scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(dead[1])) !=
                u"dead"_s);

        // Deliveries search and the report, as a table, JSON and CSV.
        r = ctl({u"deliveries"_s, u"--tenant"_s, u"shop"_s, u"--state"_s, u"pending"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(dead[0]) && !r.out.contains(dead[1]), qPrintable(r.out));
        r = ctl({u"deliveries"_s, u"--tenant"_s, u"shop"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(
            QJsonDocument::fromJson(r.out.toUtf8()).object().value("items"_L1).toArray().size(), 2);
        const QString from = QDateTime::currentDateTimeUtc().addDays(-1).toString(Qt::ISODate),
                      to = QDateTime::currentDateTimeUtc().addDays(1).toString(Qt::ISODate);
        r = ctl({u"report"_s, u"--tenant"_s, u"shop"_s, u"--from"_s, from, u"--to"_s, to});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"total 2"_s), qPrintable(r.out));
        const QString csvFile = dir.filePath(u"shop.csv"_s);
        r = ctl({u"report"_s, u"--tenant"_s, u"shop"_s, u"--from"_s, from, u"--to"_s, to,
                 u"--csv"_s, u"--output"_s, csvFile});
        QCOMPARE(r.exitCode, 0);
        QFile csv(csvFile);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray csvText = csv.readAll();
        QVERIFY2(csvText.startsWith("tenant,from,to,channel,state,deliveries,cost") &&
                     csvText.contains(",all,all,2,"),
                 csvText.constData());

        // A provider account and an SMS route through it; the secret is never shown again.
        QFile secret(dir.filePath(u"twilio.json"_s));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write(R"({"account_sid": "AC0123456789abcdef0123456789abcdef",
                         "auth_token": "tok-never-shown", "from": "+15550001111"})");
        secret.close();
        r = ctl({u"credentials"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"sms-main"_s,
                 u"--provider"_s, u"twilio"_s, u"--secret-file"_s, secret.fileName(),
                 u"--base-url"_s, u"https://api.twilio.example"_s, u"--rate"_s, u"5"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = ctl({u"credentials"_s, u"--tenant"_s, u"shop"_s});
        QVERIFY2(r.out.contains(u"sms-main"_s) && r.out.contains(u"https://api.twilio.example"_s),
                 qPrintable(r.out));
        QVERIFY(!r.out.contains(u"tok-never-shown"_s));
        r = ctl({u"routes"_s, u"create"_s, u"--tenant"_s, u"shop"_s, u"--channel"_s, u"sms"_s,
                 u"--target"_s, u"{{data.phone}}"_s, u"--credential"_s, u"sms-main"_s, u"--rate"_s,
                 u"2"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject route = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(route.value("channel"_L1).toString(), u"sms"_s);
        QCOMPARE(route.value("rate_per_second"_L1).toDouble(), 2.0);
        r = ctl({u"routes"_s, u"create"_s, u"--tenant"_s, u"shop"_s, u"--channel"_s, u"sms"_s,
                 u"--target"_s, u"+15550002222"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"twilio"_s), qPrintable(r.err)); // needs a provider account

        // A viewer may look but not act: the agent's refusal is shown, nothing changes.
        r = login(viewer, {u"--pin"_s, pin});
        QCOMPARE(r.exitCode, 0);
        r = ctl({u"dlq"_s, u"replay"_s, dead[0]});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"403"_s) && r.err.contains(u"operator"_s), qPrintable(r.err));
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }

    void inboundCommandsOverTls()
    {
        test::TestDatabase db(u"ferryctlinbound"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, db.url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        QVERIFY(!test::createTenant(db.url(), u"shop"_s).isEmpty());
        QTemporaryDir dir;
        auto cert =
            test::run(test::agentBinary(), {u"cert"_s, u"generate"_s, u"--out"_s, dir.path()}, env);
        QCOMPARE(cert.exitCode, 0);
        const QString pin =
            QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        QVERIFY(!pin.isEmpty());
        const QString admin =
            test::run(test::agentBinary(), {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s}, env)
                .out.trimmed();
        QVERIFY(!admin.isEmpty());
        // Connector secrets are sealed with the master key; without one the agent refuses them.
        const QString key = dir.filePath(u"master.key"_s);
        QCOMPARE(
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, key}).exitCode, 0);
        const quint16 port = test::freePort();
        auto agentEnv = test::agentEnvironment(db.url(), test::freePort());
        test::addApi(agentEnv, port, dir.path());
        agentEnv.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, key);
        test::Process agent(test::agentBinary(), {u"run"_s}, agentEnv);
        QVERIFY(agent.start());

        const QHash<QString, QString> ctlEnv{
            {u"FERRYCTL_CONFIG"_s, dir.filePath(u"ctl/ferryctl.json"_s)}};
        const auto ctl = [&](const QStringList &args) {
            return test::run(QStringLiteral(FERRYCTL_BIN), args, ctlEnv);
        };
        const auto writeFile = [&](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() ? f.fileName()
                                                                                  : QString();
        };
        const QString tokenFile = writeFile(u"token"_s, admin.toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(ctl({u"login"_s, u"--url"_s, u"https://127.0.0.1:%1"_s.arg(port),
                                      u"--token-file"_s, tokenFile, u"--pin"_s, pin})
                                         .exitCode == 0,
                                 20000);

        // Two secrets, one per line (a blank line and spaces around them do not count).
        const QString secrets =
            writeFile(u"stripe.secrets"_s, "whsec_never_shown_old\n\n  whsec_never_shown_new  \n");
        const QString settings = writeFile(u"stripe.json"_s, R"({"tolerance_seconds": 600})");
        QVERIFY(!secrets.isEmpty() && !settings.isEmpty());
        auto r = ctl({u"connectors"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"stripe"_s, u"--kind"_s,
                      u"stripe"_s, u"--secrets-file"_s, secrets, u"--settings-file"_s, settings});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"secrets: 2"_s) && !r.out.contains(u"whsec_"_s),
                 qPrintable(r.out));
        r = ctl({u"connectors"_s, u"list"_s, u"--tenant"_s, u"shop"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"NAME"_s) && r.out.contains(u"stripe"_s) &&
                     r.out.contains(u"tolerance_seconds"_s),
                 qPrintable(r.out));
        QVERIFY2(!r.out.contains(u"whsec_"_s), qPrintable(r.out));
        QCOMPARE(db.scalar(u"SELECT kind || ' ' || secrets_count FROM inbound_connectors"_s),
                 u"stripe 2"_s);
        connectorFromStandardInput(ctlEnv);
        if (QTest::currentTestFailed())
            return;

        // Nothing has arrived yet; a price for SMS; no messages sent.
        r = ctl({u"inbox"_s, u"list"_s, u"--tenant"_s, u"shop"_s, u"--state"_s, u"dead"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), u"(none)"_s);
        r = ctl({u"prices"_s, u"set"_s, u"--tenant"_s, u"shop"_s, u"sms"_s, u"--unit-cost"_s,
                 u"0.0079"_s, u"--currency"_s, u"USD"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(db.scalar(u"SELECT unit_cost || ' ' || currency FROM tenant_prices"_s),
                 u"0.007900 USD"_s);
        r = ctl({u"messages"_s, u"--tenant"_s, u"shop"_s, u"--limit"_s, u"10"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), u"(none)"_s);

        // A reconciliation run on demand, waited for: nothing to ask about, so no drift.
        r = ctl({u"reconcile"_s, u"--tenant"_s, u"shop"_s, u"--wait"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"state: finished"_s) && r.out.contains(u"checked: 0"_s),
                 qPrintable(r.out));
        r = ctl({u"reconciliation"_s, u"--tenant"_s, u"shop"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"Runs"_s) && r.out.contains(u"request"_s), qPrintable(r.out));
        QCOMPARE(db.scalar(u"SELECT trigger || ' ' || (finished_at IS NOT NULL) FROM "
                           "reconcile_runs WHERE tenant_id IS NOT NULL"_s),
                 u"request true"_s);

        // A workflow from a file; a step that does not read is refused, naming it.
        const QString workflow =
            writeFile(u"dunning.json"_s,
                      R"({"trigger":"invoice.payment_failed","cancel_on":["invoice.paid"],)"
                      R"("steps":[{"name":"email","emit":"dunning.email"},)"
                      R"({"name":"grace","wait":"3d"}]})");
        r = ctl({u"workflows"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"dunning"_s,
                 u"--definition-file"_s, workflow});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = ctl({u"workflows"_s, u"list"_s, u"--tenant"_s, u"shop"_s});
        QVERIFY2(r.out.contains(u"invoice.payment_failed"_s) && r.out.contains(u"invoice.paid"_s),
                 qPrintable(r.out));
        r = ctl({u"workflows"_s, u"instances"_s, u"--tenant"_s, u"shop"_s});
        QCOMPARE(r.out.trimmed(), u"(none)"_s);
        r = ctl(
            {u"workflows"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"bad"_s, u"--definition-file"_s,
             writeFile(u"bad.json"_s, R"({"trigger":"t","steps":[{"name":"x","wait":"soon"}]})")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"steps[0].wait"_s), qPrintable(r.err));
        r = ctl({u"workflows"_s, u"delete"_s, u"--tenant"_s, u"shop"_s, u"dunning"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(db.scalar(u"SELECT count(*) FROM workflows"_s), u"0"_s);

        r = ctl({u"connectors"_s, u"delete"_s, u"--tenant"_s, u"shop"_s, u"stripe"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(db.scalar(u"SELECT string_agg(name, ',') FROM inbound_connectors"_s), u"wa"_s);

        // Refusals: the agent names the kinds; ferryctl itself refuses nine secrets, a cost that
        // is not a number and an inbox id that is not one. Nothing is stored.
        r = ctl({u"connectors"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"pp"_s, u"--kind"_s,
                 u"paypal"_s, u"--secrets-file"_s, secrets});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"kind"_s) && r.err.contains(u"standard-webhooks"_s),
                 qPrintable(r.err));
        QByteArray nine;
        for (int i = 0; i < 9; ++i)
            nine += "whsec_" + QByteArray::number(i) + "\n";
        r = ctl({u"connectors"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"pp"_s, u"--kind"_s,
                 u"stripe"_s, u"--secrets-file"_s, writeFile(u"nine"_s, nine)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"at most 8"_s) && !r.err.contains(u"whsec_"_s), qPrintable(r.err));
        r = ctl({u"connectors"_s, u"put"_s, u"--tenant"_s, u"shop"_s, u"pp"_s, u"--kind"_s,
                 u"stripe"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--secrets-file"_s), qPrintable(r.err));
        QCOMPARE(db.scalar(u"SELECT count(*) FROM inbound_connectors WHERE name = 'pp'"_s), u"0"_s);
        r = ctl({u"prices"_s, u"set"_s, u"--tenant"_s, u"shop"_s, u"sms"_s, u"--unit-cost"_s,
                 u"cheap"_s, u"--currency"_s, u"USD"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--unit-cost takes a number"_s), qPrintable(r.err));
        r = ctl({u"inbox"_s, u"replay"_s, u"--tenant"_s, u"shop"_s, u"latest"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"not an inbox entry id"_s), qPrintable(r.err));
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
    void schedulesAndJobsOverTls()
    {
        test::TestDatabase db(u"ferryctljobs"_s);
        QVERIFY2(db.ok(), qPrintable(db.error()));
        const QHash<QString, QString> env{{u"FERRY_DATABASE_URL"_s, db.url()}};
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env).exitCode, 0);
        const QString producer = test::createTenant(db.url(), u"shop"_s);
        QVERIFY(!producer.isEmpty());
        QTemporaryDir dir;
        auto cert =
            test::run(test::agentBinary(), {u"cert"_s, u"generate"_s, u"--out"_s, dir.path()}, env);
        QCOMPARE(cert.exitCode, 0);
        const QString pin =
            QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        QVERIFY(!pin.isEmpty());
        const QString admin =
            test::run(test::agentBinary(), {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s}, env)
                .out.trimmed();
        QVERIFY(!admin.isEmpty());
        const QString key = dir.filePath(u"master.key"_s);
        QCOMPARE(
            test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, key}).exitCode, 0);
        const auto writeFile = [&](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() ? f.fileName()
                                                                                  : QString();
        };
        // The command exec routes may run: it reports 30 % and waits for the stop file.
        QVERIFY(QDir(dir.path()).mkpath(u"commands"_s) && QDir(dir.path()).mkpath(u"scratch"_s));
        const QString stopFile = dir.filePath(u"stop"_s);
        const QJsonObject command{
            {u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s,
                                      u"echo progress 30 working; "
                                      "while [ ! -e \"$STOPFILE\" ]; do sleep 0.1; done"_s}},
            {u"environment"_s, QJsonObject{{u"STOPFILE"_s, stopFile}}},
            {u"timeout"_s, u"2m"_s}};
        QVERIFY(!writeFile(u"commands/waiter.json"_s, QJsonDocument(command).toJson()).isEmpty());

        const quint16 port = test::freePort(), http = test::freePort();
        auto agentEnv = test::agentEnvironment(db.url(), http);
        test::addApi(agentEnv, port, dir.path());
        agentEnv.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, key);
        agentEnv.insert(u"FERRY_EXEC_COMMANDS_DIR"_s, dir.filePath(u"commands"_s));
        agentEnv.insert(u"FERRY_EXEC_SCRATCH_DIR"_s, dir.filePath(u"scratch"_s));
        test::Process agent(test::agentBinary(), {u"run"_s}, agentEnv);
        QVERIFY(agent.start());

        const QHash<QString, QString> ctlEnv{
            {u"FERRYCTL_CONFIG"_s, dir.filePath(u"ctl/ferryctl.json"_s)}};
        const auto ctl = [&](const QStringList &args) {
            return test::run(QStringLiteral(FERRYCTL_BIN), args, ctlEnv);
        };
        const QString tokenFile = writeFile(u"token"_s, admin.toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(ctl({u"login"_s, u"--url"_s, u"https://127.0.0.1:%1"_s.arg(port),
                                      u"--token-file"_s, tokenFile, u"--pin"_s, pin})
                                         .exitCode == 0,
                                 20000);

        scheduleRoundTrip(
            ctlEnv, db,
            writeFile(u"hourly.json"_s,
                      R"({"cron":"@every 1h","event":{"type":"tick"},"catch_up":"skip"})"));
        if (QTest::currentTestFailed())
            return;

        // An exec route runs a command of the agent's, by name.
        auto r = ctl({u"routes"_s, u"create"_s, u"--tenant"_s, u"shop"_s, u"--channel"_s, u"exec"_s,
                      u"--target"_s, u"waiter"_s, u"--event-type"_s, u"job.run"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = ctl({u"routes"_s, u"create"_s, u"--tenant"_s, u"shop"_s, u"--channel"_s, u"exec"_s,
                 u"--target"_s, u"rm-everything"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"exec.commands_dir"_s) && r.err.contains(u"waiter"_s),
                 qPrintable(r.err));
        const auto publish = [&](const QString &id) {
            test::HttpRequest request;
            request.url = u"http://127.0.0.1:%1/v1/events"_s.arg(http);
            request.body = test::cloudEvent(id, u"job.run"_s);
            request.headers = {{"Authorization", "Bearer " + producer.toUtf8()},
                               {"Content-Type", "application/cloudevents+json"}};
            return test::http(request).status;
        };
        QVERIFY(test::waitForHealthy(http));
        QCOMPARE(publish(u"job-1"_s), 202);

        // The job runs and has said how far it is.
        QTRY_VERIFY_WITH_TIMEOUT(
            db.scalar(u"SELECT count(*) FROM jobs WHERE progress = 30"_s) == u"1"_s, 30000);
        const QString job = db.scalar(u"SELECT delivery_id FROM jobs"_s);
        r = ctl({u"jobs"_s, u"list"_s, u"--tenant"_s, u"shop"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"DELIVERY ID"_s) && r.out.contains(job) &&
                     r.out.contains(u"waiter"_s) && r.out.contains(u"running"_s) &&
                     r.out.contains(u"30% working"_s),
                 qPrintable(r.out));
        r = ctl({u"jobs"_s, u"list"_s, u"--tenant"_s, u"shop"_s, u"--state"_s, u"succeeded"_s});
        QCOMPARE(r.out.trimmed(), u"(none)"_s);
        r = ctl({u"jobs"_s, u"show"_s, u"--tenant"_s, u"shop"_s, job});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"state: running"_s) && r.out.contains(u"progress: 30"_s),
                 qPrintable(r.out));

        // Followed while it is cancelled: a line per change, exit code 1 as it did not succeed.
        QProcess follower;
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"FERRYCTL_CONFIG"_s, ctlEnv.value(u"FERRYCTL_CONFIG"_s));
        follower.setProcessEnvironment(environment);
        follower.start(QStringLiteral(FERRYCTL_BIN),
                       {u"jobs"_s, u"show"_s, u"--tenant"_s, u"shop"_s, job, u"--follow"_s});
        QVERIFY(follower.waitForStarted());
        QVERIFY(follower.waitForReadyRead(20000));
        r = ctl({u"jobs"_s, u"cancel"_s, u"--tenant"_s, u"shop"_s, job});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"cancel"_s) && r.out.contains(job), qPrintable(r.out));
        QTRY_VERIFY_WITH_TIMEOUT(ctl({u"jobs"_s, u"show"_s, u"--tenant"_s, u"shop"_s, job})
                                     .out.contains(u"state: cancelled"_s),
                                 20000);
        QVERIFY(follower.waitForFinished(20000));
        const QString followed = QString::fromUtf8(follower.readAllStandardOutput());
        QCOMPARE(follower.exitCode(), 1);
        QVERIFY2(followed.contains(u"running  30% working"_s) &&
                     followed.contains(u"cancel requested by"_s) &&
                     followed.contains(u"cancelled  30% working"_s),
                 qPrintable(followed));
        QCOMPARE(db.scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(job)), u"dead"_s);
        // Too late now: the agent says why; an unknown job and a malformed id are refused.
        r = ctl({u"jobs"_s, u"cancel"_s, u"--tenant"_s, u"shop"_s, job});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"409"_s) && r.err.contains(u"not running"_s), qPrintable(r.err));
        r = ctl({u"jobs"_s, u"show"_s, u"--tenant"_s, u"shop"_s,
                 QUuid::createUuid().toString(QUuid::WithoutBraces)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"404"_s), qPrintable(r.err));
        r = ctl({u"jobs"_s, u"cancel"_s, u"--tenant"_s, u"shop"_s, u"latest"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"jobs list"_s), qPrintable(r.err));

        // A job followed to its success: exit code 0.
        QCOMPARE(publish(u"job-2"_s), 202);
        QTRY_VERIFY_WITH_TIMEOUT(
            db.scalar(u"SELECT count(*) FROM jobs WHERE state = 'running' AND progress = 30"_s) ==
                u"1"_s,
            30000);
        const QString second = db.scalar(u"SELECT delivery_id FROM jobs WHERE state = 'running'"_s);
        follower.start(QStringLiteral(FERRYCTL_BIN),
                       {u"jobs"_s, u"show"_s, u"--tenant"_s, u"shop"_s, second, u"--follow"_s});
        QVERIFY(follower.waitForStarted());
        QVERIFY(follower.waitForReadyRead(20000));
        QVERIFY(!writeFile(u"stop"_s, "").isNull());
        QVERIFY(follower.waitForFinished(20000));
        const QString succeeded = QString::fromUtf8(follower.readAllStandardOutput());
        QCOMPARE(follower.exitCode(), 0);
        QVERIFY2(succeeded.contains(u"succeeded"_s) && succeeded.contains(u"exit code 0"_s),
                 qPrintable(succeeded));
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
};

QTEST_GUILESS_MAIN(TestFerryctl)
#include "tst_ferryctl.moc"
