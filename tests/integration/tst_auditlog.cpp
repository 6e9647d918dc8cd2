// The audit log by tenant against a real agent and PostgreSQL (docs/api.md, GET /v1/audit):
// changes made through the API in two tenants are logged with their tenant (installation-wide
// ones without); each filter (actor, tenant, action and action family, since/until) narrows the
// log as documented and paging goes on where the last page stopped; a scoped admin reads only
// its tenant's entries, viewers and operators none; bad values answer 400 naming the
// parameter; the CSV holds the same rows as the JSON; ferryctl audit filters alike. And migration
// 25 fills in the tenant of entries written before it, from their subjects.
#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"
#include "tests/support/apitest.h"
#include "tests/support/testsupport.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// "action@tenant" of each item, newest first; "-" for no tenant.
QStringList actionsAt(const QJsonArray &list)
{
    QStringList out;
    for (const QJsonValue &v : list) {
        const QJsonObject o = v.toObject();
        const QJsonValue t = o.value("tenant"_L1);
        out.append(o.value("action"_L1).toString() + u'@' + (t.isNull() ? u"-"_s : t.toString()));
    }
    return out;
}

// A CSV field of the API's CSV (RFC 4180) as the JSON has it.
QString csvField(const QString &s)
{
    if (!s.contains(u',') && !s.contains(u'"') && !s.contains(u'\n'))
        return s;
    return u'"' + QString(s).replace(u"\""_s, u"\"\""_s) + u'"';
}

} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT
    // The three tokens `ferry-agent token create` made first: installation-wide.
    const QStringList kCliTokens{u"token.create@-"_s, u"token.create@-"_s, u"token.create@-"_s};
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    QTemporaryDir m_dir;
    quint16 m_apiPort = 0;
    QByteArray m_admin;     // unscoped
    QByteArray m_viewer;    // unscoped
    QByteArray m_operator;  // unscoped
    QByteArray m_acmeAdmin; // scoped to acme
    qint64 m_adminId = 0;   // the unscoped admin's token id
    qint64 m_acmeAdminId = 0;
    QDateTime m_between; // after the first round of changes, before the second

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }

    test::HttpResponse api(const QByteArray &method, const QString &path, const QByteArray &token,
                           const QByteArray &body = {}, const QByteArray &accept = {})
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(m_apiPort).arg(path);
        r.caFile = m_dir.filePath(u"api.crt"_s);
        r.body = body;
        r.headers = {{"Content-Type", "application/json"}};
        if (!accept.isEmpty())
            r.headers.append(qMakePair(QByteArray("Accept"), accept));
        if (!token.isEmpty())
            r.headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + token));
        return test::http(r, 10000);
    }

    // GET /v1/audit with these query values (by the unscoped admin unless another token).
    test::HttpResponse audit(const QList<std::pair<QString, QString>> &query,
                             const QByteArray &token = {}, const QByteArray &accept = {})
    {
        QUrlQuery q;
        for (const auto &[name, value] : query)
            q.addQueryItem(name, value);
        const QString s = q.toString(QUrl::FullyEncoded);
        return api("GET", u"/v1/audit"_s + (s.isEmpty() ? QString() : u'?' + s),
                   token.isEmpty() ? m_admin : token, {}, accept);
    }

    QStringList auditActions(const QList<std::pair<QString, QString>> &query,
                             const QByteArray &token = {})
    {
        const auto r = audit(query, token);
        if (r.status != 200)
            return {u"HTTP %1: %2"_s.arg(r.status).arg(QString::fromUtf8(r.body))};
        return actionsAt(test::jsonItems(r));
    }

    QByteArray cliToken(const QString &role, const QString &tenant = {})
    {
        return test::cliToken(m_db->url(), role, tenant);
    }

    qint64 tokenIdOf(const QByteArray &token)
    {
        return test::jsonObject(api("GET", u"/v1/whoami"_s, token))
            .value("token_id"_L1)
            .toInteger();
    }

    int status(const QByteArray &method, const QString &path, const QByteArray &token,
               const QByteArray &body)
    {
        return api(method, path, token, body).status;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"auditlog"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
        QCOMPARE(test::run(test::agentBinary(),
                           {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env())
                     .exitCode,
                 0);
        m_admin = cliToken(u"admin"_s);
        m_viewer = cliToken(u"viewer"_s);
        m_operator = cliToken(u"operator"_s);
        m_apiPort = test::freePort();
        auto e = test::agentEnvironment(m_db->url(), test::freePort());
        test::addApi(e, m_apiPort, m_dir.path());
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
        QVERIFY(m_agent->start());
        QTRY_VERIFY_WITH_TIMEOUT(api("GET", u"/v1/whoami"_s, {}).status == 401, 20000);
        m_adminId = tokenIdOf(m_admin);
        QVERIFY(m_adminId > 0);

        // First round: two tenants made over the API, a scoped admin for acme.
        QCOMPARE(status("POST", u"/v1/tenants"_s, m_admin, R"({"name":"acme"})"), 201);
        QCOMPARE(status("POST", u"/v1/tenants"_s, m_admin, R"({"name":"beta"})"), 201);
        const auto made =
            api("POST", u"/v1/tokens"_s, m_admin, R"({"role":"admin","tenant":"acme"})");
        QCOMPARE(made.status, 201);
        m_acmeAdmin = test::jsonObject(made).value("token"_L1).toString().toUtf8();
        m_acmeAdminId = test::jsonObject(made).value("id"_L1).toInteger();
        // A token of every tenant: an installation-wide change.
        QCOMPARE(status("POST", u"/v1/tokens"_s, m_admin, R"({"role":"viewer","name":"wall"})"),
                 201);

        // A moment clearly between the rounds (the agent and PostgreSQL share this clock).
        const QDateTime firstDone = QDateTime::currentDateTimeUtc();
        QTRY_VERIFY(QDateTime::currentDateTimeUtc() > firstDone.addMSecs(20));
        m_between = QDateTime::currentDateTimeUtc();
        QTRY_VERIFY(QDateTime::currentDateTimeUtc() > m_between.addMSecs(20));

        // Second round: producer tokens and a schema in both tenants, acme's by its own admin.
        QCOMPARE(
            status("POST", u"/v1/tenants/acme/producers"_s, m_acmeAdmin, R"({"kind":"token"})"),
            201);
        QCOMPARE(status("POST", u"/v1/tenants/beta/producers"_s, m_admin, R"({"kind":"token"})"),
                 201);
        QCOMPARE(status("PUT", u"/v1/tenants/beta/schemas/order.created/1"_s, m_admin,
                        R"({"required":["id"]})"),
                 201);
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output().right(3000)));
    }

    void entriesCarryTheTenantTheyConcern()
    {
        const auto r = audit({});
        QCOMPARE(r.status, 200);
        QCOMPARE(
            actionsAt(test::jsonItems(r)),
            (QStringList{u"schema.create@beta"_s, u"producer_token.add@beta"_s,
                         u"producer_token.add@acme"_s, u"token.create@-"_s, u"token.create@acme"_s,
                         u"tenant.create@beta"_s, u"tenant.create@acme"_s}) +
                kCliTokens);
        QVERIFY(
            test::jsonItems(r).last().toObject().value("actor"_L1).toString().startsWith("cli"_L1));
        const QJsonObject newest = test::jsonItems(r).first().toObject();
        QCOMPARE(newest.value("actor"_L1).toString(), u"api:token/%1"_s.arg(m_adminId));
        QCOMPARE(newest.value("subject"_L1).toString(), u"beta/schema/order.created/1"_s);
        QVERIFY(newest.value("details"_L1).isObject());
        QVERIFY(
            QDateTime::fromString(newest.value("at"_L1).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(test::jsonObject(r).value("next_before"_L1).isNull()); // all of it on one page
    }

    void eachFilterNarrows()
    {
        QCOMPARE(auditActions({{u"tenant"_s, u"acme"_s}}),
                 (QStringList{u"producer_token.add@acme"_s, u"token.create@acme"_s,
                              u"tenant.create@acme"_s}));
        // An action exactly, or a family.
        QCOMPARE(auditActions({{u"action"_s, u"token.create"_s}}),
                 (QStringList{u"token.create@-"_s, u"token.create@acme"_s}) + kCliTokens);
        const QStringList producers{u"producer_token.add@beta"_s, u"producer_token.add@acme"_s};
        QCOMPARE(auditActions({{u"action"_s, u"producer_token.*"_s}}), producers);
        QCOMPARE(auditActions({{u"action"_s, u"producer_token."_s}}), producers);
        QCOMPARE(auditActions({{u"action"_s, u"producer_token"_s}}), QStringList());
        // The actor: a part of it, any case.
        QCOMPARE(auditActions({{u"actor"_s, u"TOKEN/%1"_s.arg(m_acmeAdminId)}}),
                 QStringList{u"producer_token.add@acme"_s});
        // Time: since is inclusive, until exclusive; both split the two rounds.
        const QString between = m_between.toString(Qt::ISODateWithMs);
        QCOMPARE(auditActions({{u"since"_s, between}}),
                 (QStringList{u"schema.create@beta"_s, u"producer_token.add@beta"_s,
                              u"producer_token.add@acme"_s}));
        QCOMPARE(auditActions({{u"until"_s, between}, {u"tenant"_s, u"beta"_s}}),
                 QStringList{u"tenant.create@beta"_s});
        // A time with an offset means the same moment.
        QCOMPARE(
            auditActions({{u"since"_s, m_between.toOffsetFromUtc(7200).toString(Qt::ISODateWithMs)},
                          {u"tenant"_s, u"acme"_s}}),
            QStringList{u"producer_token.add@acme"_s});
        // Combined with everything at once.
        QCOMPARE(auditActions({{u"tenant"_s, u"beta"_s},
                               {u"action"_s, u"producer_token.*"_s},
                               {u"actor"_s, u"api:token/%1"_s.arg(m_adminId)},
                               {u"since"_s, between},
                               {u"until"_s, QDateTime::currentDateTimeUtc().addSecs(60).toString(
                                                Qt::ISODate)}}),
                 QStringList{u"producer_token.add@beta"_s});
        // A deleted tenant's entries stay findable by name: no such tenant is no error.
        QCOMPARE(auditActions({{u"tenant"_s, u"gone"_s}}), QStringList());
    }

    void pagingGoesOnWhereThePageStopped()
    {
        QStringList all;
        QString before;
        for (int page = 0; page < 10; ++page) {
            QList<std::pair<QString, QString>> q{{u"limit"_s, u"3"_s}};
            if (!before.isEmpty())
                q.append({u"before"_s, before});
            const auto r = audit(q);
            QCOMPARE(r.status, 200);
            all += actionsAt(test::jsonItems(r));
            const QJsonValue next = test::jsonObject(r).value("next_before"_L1);
            if (next.isNull())
                break;
            QCOMPARE(next.toInteger(),
                     test::jsonItems(r).last().toObject().value("id"_L1).toInteger());
            before = QString::number(next.toInteger());
        }
        QCOMPARE(all, auditActions({}));
    }

    void aScopedAdminReadsOnlyItsTenant()
    {
        const QStringList acme{u"producer_token.add@acme"_s, u"token.create@acme"_s,
                               u"tenant.create@acme"_s};
        QCOMPARE(auditActions({}, m_acmeAdmin), acme);
        QCOMPARE(auditActions({{u"tenant"_s, u"acme"_s}}, m_acmeAdmin), acme);
        // Another tenant does not exist for it.
        const auto other = audit({{u"tenant"_s, u"beta"_s}}, m_acmeAdmin);
        QCOMPARE(other.status, 404);
        QVERIFY(!other.body.contains("schema.create"));
        // Its CSV, too.
        const auto csv = audit({{u"format"_s, u"csv"_s}}, m_acmeAdmin);
        QCOMPARE(csv.status, 200);
        QVERIFY(!csv.body.contains(",beta,"));
        QVERIFY(csv.body.contains(",acme,producer_token.add,"));
    }

    void viewersAndOperatorsMayNotReadIt()
    {
        for (const QByteArray &token : {m_viewer, m_operator}) {
            const auto r = audit({}, token);
            QCOMPARE(r.status, 403);
            QVERIFY(!r.body.contains("tenant.create"));
        }
    }

    void badValuesAnswer400NamingTheParameter_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::newRow("since") << u"since"_s << u"yesterday"_s;
        QTest::newRow("until") << u"until"_s << u"2026-13-45"_s;
        QTest::newRow("action") << u"action"_s << u"route update"_s;
        QTest::newRow("action star inside") << u"action"_s << u"ro*te.update"_s;
        QTest::newRow("limit") << u"limit"_s << u"5000"_s;
        QTest::newRow("before") << u"before"_s << u"abc"_s;
        QTest::newRow("format") << u"format"_s << u"xml"_s;
        QTest::newRow("unknown") << u"user"_s << u"ana"_s;
    }

    void badValuesAnswer400NamingTheParameter()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        const auto r = audit({{name, value}});
        QCOMPARE(r.status, 400);
        QVERIFY2(test::jsonObject(r).value("detail"_L1).toString().contains(name),
                 r.body.constData());
    }

    void untilBeforeSinceIsRefused()
    {
        const auto r = audit(
            {{u"since"_s, u"2026-12-02T00:00:00Z"_s}, {u"until"_s, u"2026-12-01T00:00:00Z"_s}});
        QCOMPARE(r.status, 400);
        QVERIFY(test::jsonObject(r).value("detail"_L1).toString().contains("until"_L1));
    }

    void theCsvHoldsTheJsonsRows_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("format") << u"format"_s;
        QTest::newRow("accept") << u"accept"_s;
    }

    void theCsvHoldsTheJsonsRows()
    {
        QFETCH(QString, how);
        const QList<std::pair<QString, QString>> filter{{u"action"_s, u"producer_token.*"_s},
                                                        {u"limit"_s, u"1"_s}};
        auto csvQuery = filter;
        if (how == "format"_L1)
            csvQuery.append({u"format"_s, u"csv"_s});
        const auto csv = audit(csvQuery, {}, how == "accept"_L1 ? "text/csv" : "");
        QCOMPARE(csv.status, 200);
        QVERIFY(csv.headers.value("content-type").startsWith("text/csv"));
        const auto json = audit(filter);
        QString expected = u"id,at,actor,tenant,action,subject,details\r\n"_s;
        for (const QJsonValue &v : test::jsonItems(json)) {
            const QJsonObject o = v.toObject();
            expected += QString::number(o.value("id"_L1).toInteger()) + u',' +
                        csvField(o.value("at"_L1).toString()) + u',' +
                        csvField(o.value("actor"_L1).toString()) + u',' +
                        csvField(o.value("tenant"_L1).toString()) + u',' +
                        csvField(o.value("action"_L1).toString()) + u',' +
                        csvField(o.value("subject"_L1).toString()) + u',' +
                        csvField(QString::fromUtf8(QJsonDocument(o.value("details"_L1).toObject())
                                                       .toJson(QJsonDocument::Compact))) +
                        u"\r\n"_s;
        }
        QCOMPARE(test::jsonItems(json).size(), 1);
        QCOMPARE(QString::fromUtf8(csv.body), expected);
    }

    // ferryctl audit takes the same filters: a table, or the API's CSV.
    void ferryctlAuditFilters()
    {
        const QHash<QString, QString> env{
            {u"FERRYCTL_CONFIG"_s, m_dir.filePath(u"ctl/ferryctl.json"_s)}};
        const auto ctl = [&](const QStringList &args) {
            return test::run(QStringLiteral(FERRYCTL_BIN), args, env);
        };
        const QString tokenFile = m_dir.filePath(u"admin-token"_s);
        {
            QFile f(tokenFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(m_admin);
        }
        auto r = ctl({u"login"_s, u"--url"_s, u"https://127.0.0.1:%1"_s.arg(m_apiPort),
                      u"--token-file"_s, tokenFile, u"--cacert"_s, m_dir.filePath(u"api.crt"_s)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        r = ctl({u"audit"_s, u"--tenant"_s, u"beta"_s, u"--action"_s, u"producer_token.*"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"producer_token.add"_s) && r.out.contains(u"beta"_s) &&
                     !r.out.contains(u"acme"_s) && !r.out.contains(u"schema.create"_s),
                 qPrintable(r.out));
        // Paging: the next page's --before.
        r = ctl({u"audit"_s, u"--limit"_s, u"2"_s});
        QVERIFY2(r.err.contains(u"more: add --before "_s), qPrintable(r.err));

        const QString csv = m_dir.filePath(u"audit.csv"_s);
        r = ctl({u"audit"_s, u"--actor"_s, u"token/%1"_s.arg(m_acmeAdminId), u"--csv"_s,
                 u"--output"_s, csv});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(
            file.readAll(),
            audit({{u"actor"_s, u"token/%1"_s.arg(m_acmeAdminId)}, {u"format"_s, u"csv"_s}}).body);

        r = ctl({u"audit"_s, u"--since"_s, u"last week"_s});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(u"since"_s), qPrintable(r.err));
    }

    // Entries written before migration 25 get their tenant from their subject.
    void migration25FillsInTheTenantOfOlderEntries()
    {
        test::TestDatabase old(u"auditbackfill"_s);
        QVERIFY2(old.ok(), qPrintable(old.error()));
        agent::store::PgConnection db;
        QVERIFY(db.open(old.url()).ok());
        QVERIFY(old.exec(u"CREATE TABLE schema_migrations (version integer PRIMARY KEY, name "
                         "text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT "
                         "NULL DEFAULT now())"_s));
        for (const auto &m : agent::store::Migrator::bundled()) {
            if (m.version >= 25)
                continue;
            QVERIFY(db.execScript(m.sql).ok());
            QVERIFY(old.exec(u"INSERT INTO schema_migrations (version, name, checksum) VALUES "
                             "(%1, '%2', '%3')"_s.arg(m.version)
                                 .arg(m.name, QString::fromLatin1(m.checksum))));
        }
        QVERIFY(old.exec(
            u"INSERT INTO tenants (name) VALUES ('shop');"
            "INSERT INTO api_tokens (token_hash, role, tenant_id) SELECT '\\x01', 'viewer', id "
            "  FROM tenants;"
            "INSERT INTO audit_log (actor, action, subject, details) VALUES "
            "  ('cli', 'tenant.create', 'shop', NULL),"
            "  ('cli', 'route.update', 'shop/route/12', '{}'),"
            "  ('cli', 'producer.add', 'shop/ab/cd', NULL),"
            "  ('cli', 'token.create', '1', '{\"tenant\": \"shop\"}'),"
            "  ('cli', 'token.create', '2', '{\"tenant\": null}'),"
            "  ('cli', 'token.revoke', (SELECT id::text FROM api_tokens), NULL),"
            "  ('cli', 'dlq.replay_matching', NULL, '{\"filter\": {\"tenant\": \"shop\"}}'),"
            "  ('cli', 'dlq.discard', '0190a3c4-0000-7000-8000-000000000000', NULL),"
            "  ('cli', 'token.revoke', '999', NULL),"
            "  ('cli', 'token.revoke', 'not-a-number', NULL),"
            "  ('cli', 'dlq.annotate', 'not-a-uuid', NULL)"_s));
        auto report = agent::store::Migrator(db).migrate();
        QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
        QCOMPARE(old.scalar(u"SELECT string_agg(action || '@' || coalesce(tenant, '-'), ' ' "
                            "ORDER BY id) FROM audit_log"_s),
                 u"tenant.create@shop route.update@shop producer.add@shop token.create@shop "
                 "token.create@- token.revoke@shop dlq.replay_matching@shop dlq.discard@- "
                 "token.revoke@- token.revoke@- dlq.annotate@-"_s);
    }
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
