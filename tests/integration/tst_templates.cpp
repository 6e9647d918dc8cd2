// Message templates against a real PostgreSQL: TemplateStore stores, lists and deletes them,
// each change audited, and refuses at save time a template that does not compile or misses a
// variable of the sample event (422, naming the part). MessageRenderer uses the template of the
// event type, else the tenant's '*' one, and says how to fix a missing template. Then the API
// end to end over TLS, and ferryctl's templates commands against it.
#include "agent/store/admin/templatestore.h"
#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"
#include "agent/templates/messagerenderer.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using agent::store::StoredTemplate;
using agent::store::TemplateStore;
using agent::templates::MessageRenderer;

namespace {

const QByteArray kEvent =
    "{\"id\":\"evt-1\",\"source\":\"/shop\",\"specversion\":\"1.0\",\"type\":\"order.paid\","
    "\"data\":{\"order\":\"A-17\",\"phone\":\"+15551234567\",\"customer\":{\"name\":\"Ana & Bo\"},"
    "\"lines\":[{\"sku\":\"X\",\"qty\":2},{\"sku\":\"Y\",\"qty\":1}]}}";

QJsonObject eventObject()
{
    return QJsonDocument::fromJson(kEvent).object();
}

StoredTemplate makeTemplate(qint64 tenantId, const QString &channel, const QString &type,
                            const QString &text, const QString &html = {})
{
    StoredTemplate t;
    t.tenantId = tenantId;
    t.tenant = u"acme"_s;
    t.channel = channel;
    t.eventType = type;
    t.parts.subject = u"Order {{data.order}}"_s;
    t.parts.text = text;
    t.parts.html = html;
    return t;
}

} // namespace

class TestTemplates : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    agent::store::PgConnection m_conn;
    qint64 m_acme = 0;
    QTemporaryDir m_dir;
    std::unique_ptr<test::Process> m_agent;
    quint16 m_apiPort = 0;
    QString m_pin;
    QByteArray m_admin;      // unscoped admin
    QByteArray m_betaAdmin;  // admin of tenant beta only
    QByteArray m_acmeViewer; // viewer of tenant acme

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }
    QByteArray token(const QStringList &args)
    {
        return test::run(test::agentBinary(), QStringList{u"token"_s, u"create"_s} + args, env())
            .out.trimmed()
            .toUtf8();
    }
    test::HttpResponse api(const QByteArray &method, const QString &path,
                           const QByteArray &body = {}, const QByteArray &token = {})
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(m_apiPort).arg(path);
        r.caFile = m_dir.filePath(u"api.crt"_s);
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + (token.isEmpty() ? m_admin : token)},
                     {"Content-Type", "application/json"}};
        return test::http(r, 10000);
    }
    static QJsonObject object(const test::HttpResponse &r)
    {
        return QJsonDocument::fromJson(r.body).object();
    }
    QString audit(const QString &subject) const
    {
        return m_db->scalar(u"SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE "
                            "subject = '%1'"_s.arg(subject));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"templates"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QVERIFY(m_conn.open(m_db->url()).ok());
        auto migrated = agent::store::Migrator(m_conn).migrate();
        QVERIFY2(migrated, migrated ? "" : qPrintable(migrated.error().message));
        for (const QString &t : {u"acme"_s, u"beta"_s})
            QVERIFY(!test::createTenant(m_db->url(), t).isEmpty());
        m_acme = m_db->scalar(u"SELECT id FROM tenants WHERE name = 'acme'"_s).toLongLong();
        QVERIFY(m_acme > 0);
    }

    void init() { QVERIFY(m_db->exec(u"DELETE FROM templates"_s)); }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void storePutGetListRemoveAudited()
    {
        TemplateStore store(m_conn, u"tester"_s);
        bool created = false;
        auto first = store.put(makeTemplate(m_acme, u"sms"_s, u"order.paid"_s, u"Paid {{id}}"_s),
                               nullptr, &created);
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        QVERIFY(created);
        auto second = store.put(makeTemplate(m_acme, u"sms"_s, u"order.paid"_s, u"Now {{id}}"_s),
                                nullptr, &created);
        QVERIFY(second);
        QVERIFY(!created);
        QVERIFY(store.put(makeTemplate(m_acme, u"email"_s, u"*"_s, u"Any {{type}}"_s), nullptr,
                          nullptr));

        auto got = store.get(m_acme, u"acme"_s, u"sms"_s, u"order.paid"_s);
        QVERIFY(got);
        QCOMPARE(got->parts.text, u"Now {{id}}"_s);
        QCOMPARE(got->parts.subject, u"Order {{data.order}}"_s);
        QCOMPARE(got->tenant, u"acme"_s);
        QVERIFY(got->updatedAt.isValid());

        auto page = store.list(m_acme, {}, {}, 1);
        QVERIFY(page);
        QCOMPARE(page->size(), 1);
        QCOMPARE(page->first().channel, u"email"_s);
        page = store.list(m_acme, page->first().channel, page->first().eventType, 10);
        QVERIFY(page);
        QCOMPARE(page->size(), 1);
        QCOMPARE(page->first().channel, u"sms"_s);

        QVERIFY(store.remove(m_acme, u"acme"_s, u"sms"_s, u"order.paid"_s));
        auto gone = store.get(m_acme, u"acme"_s, u"sms"_s, u"order.paid"_s);
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, 404);
        QCOMPARE(store.remove(m_acme, u"acme"_s, u"sms"_s, u"order.paid"_s).error().code, 404);

        QCOMPARE(audit(u"acme/template/sms/order.paid"_s),
                 u"template.create,template.update,template.delete"_s);
        QCOMPARE(m_db->scalar(u"SELECT details->'before'->>'text' || '|' || "
                              "(details->'after'->>'text') FROM audit_log WHERE action = "
                              "'template.update'"_s),
                 u"Paid {{id}}|Now {{id}}"_s);
        QCOMPARE(m_db->scalar(u"SELECT actor FROM audit_log WHERE action = 'template.delete'"_s),
                 u"tester"_s);
    }

    void storeRefusesWhatDoesNotRender()
    {
        TemplateStore store(m_conn, u"tester"_s);
        auto t = makeTemplate(m_acme, u"email"_s, u"order.paid"_s, u"ok"_s,
                              u"<ul>\n  {{#each data.lines}}<li>{{this.sku}}</li>\n</ul>"_s);
        auto r = store.put(t, nullptr, nullptr);
        QVERIFY(!r);
        QCOMPARE(r.error().code, 422);
        QCOMPARE(r.error().message,
                 u"html: unclosed {{#each data.lines}} opened at 2:3: close it with {{/each}}"_s);

        t.parts.html = u"<p>{{data.customer.name}}, {{data.customer.email}}</p>"_s;
        QVERIFY(store.put(t, nullptr, nullptr)); // without a sample it compiles, that is all
        const QJsonObject sample = eventObject();
        r = store.put(t, &sample, nullptr);
        QVERIFY(!r);
        QCOMPARE(r.error().code, 422);
        QCOMPARE(r.error().message, u"html: missing variable data.customer.email at 1:28 in "
                                    "the sample event"_s);

        t.channel = u"fax"_s;
        r = store.put(t, nullptr, nullptr);
        QVERIFY(!r);
        QCOMPARE(r.error().code, 422);
        QVERIFY(r.error().message.startsWith("unknown channel 'fax'"_L1));
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM templates"_s), u"1"_s);
        QCOMPARE(audit(u"acme/template/email/order.paid"_s), u"template.create"_s);
    }

    void rendererUsesTheTypeThenStar()
    {
        TemplateStore store(m_conn, u"tester"_s);
        QVERIFY(store.put(makeTemplate(m_acme, u"sms"_s, u"order.paid"_s, u"Paid {{data.order}}"_s),
                          nullptr, nullptr));
        auto any = makeTemplate(m_acme, u"sms"_s, u"*"_s, u"{{type}} for {{data.order}}"_s,
                                u"<b>{{data.customer.name}}</b>"_s);
        any.parts.options =
            QJsonDocument::fromJson(
                "{\"template\":\"generic\",\"parameters\":[\"{{data.customer.name}}\"]}")
                .object();
        QVERIFY(store.put(any, nullptr, nullptr));

        MessageRenderer renderer(m_conn);
        auto paid = renderer.render(m_acme, u"sms"_s, u"order.paid"_s, u"{{data.phone}}"_s, kEvent);
        QVERIFY2(paid, paid ? "" : qPrintable(paid.error().message));
        QCOMPARE(paid->text, u"Paid A-17"_s);
        QCOMPARE(paid->subject, u"Order A-17"_s);
        QCOMPARE(paid->to, u"+15551234567"_s);

        QByteArray shipped = kEvent;
        shipped.replace("order.paid", "order.shipped");
        auto other =
            renderer.render(m_acme, u"sms"_s, u"order.shipped"_s, u"+15550000000"_s, shipped);
        QVERIFY2(other, other ? "" : qPrintable(other.error().message));
        QCOMPARE(other->text, u"order.shipped for A-17"_s);
        QCOMPARE(other->html, u"<b>Ana &amp; Bo</b>"_s);
        QCOMPARE(other->options.value("parameters"_L1).toArray(), QJsonArray{u"Ana & Bo"_s});
        QCOMPARE(other->to, u"+15550000000"_s);
    }

    void rendererErrors()
    {
        MessageRenderer renderer(m_conn);
        auto none = renderer.render(m_acme, u"email"_s, u"order.paid"_s, u"a@b.c"_s, kEvent);
        QVERIFY(!none);
        QCOMPARE(none.error().code, 404);
        QVERIFY2(none.error().message.startsWith(
                     u"no template for channel email and event type order.paid in tenant %1: "
                     "create one with ferryctl templates put"_s.arg(m_acme)),
                 qPrintable(none.error().message));

        TemplateStore store(m_conn, u"tester"_s);
        QVERIFY(store.put(makeTemplate(m_acme, u"push"_s, u"*"_s, u"{{data.missing.field}}"_s),
                          nullptr, nullptr));
        MessageRenderer fresh(m_conn);
        auto missing = fresh.render(m_acme, u"push"_s, u"order.paid"_s, u"tok"_s, kEvent);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, 422);
        QCOMPARE(missing.error().message, u"the push template for order.paid: text: missing "
                                          "variable data.missing.field at 1:1"_s);

        QVERIFY(store.put(makeTemplate(m_acme, u"sms"_s, u"*"_s, u"hi"_s), nullptr, nullptr));
        auto recipient = fresh.render(m_acme, u"sms"_s, u"x"_s, u"{{data.mobile}}"_s, kEvent);
        QVERIFY(!recipient);
        QCOMPARE(recipient.error().code, 422);
        QCOMPARE(recipient.error().message,
                 u"the route's recipient: missing variable data.mobile at 1:1"_s);
        auto notJson = fresh.render(m_acme, u"sms"_s, u"x"_s, u"+1"_s, "{nope");
        QVERIFY(!notJson);
        QCOMPARE(notJson.error().code, 422);
    }

    void rendererKeepsTemplatesForItsTtl()
    {
        TemplateStore store(m_conn, u"tester"_s);
        QVERIFY(store.put(makeTemplate(m_acme, u"sms"_s, u"*"_s, u"first"_s), nullptr, nullptr));
        MessageRenderer cached(m_conn, std::chrono::hours(1));
        MessageRenderer uncached(m_conn, std::chrono::milliseconds(0));
        QCOMPARE(cached.render(m_acme, u"sms"_s, u"t"_s, u"+1"_s, kEvent)->text, u"first"_s);
        QCOMPARE(uncached.render(m_acme, u"sms"_s, u"t"_s, u"+1"_s, kEvent)->text, u"first"_s);
        QVERIFY(store.put(makeTemplate(m_acme, u"sms"_s, u"*"_s, u"second"_s), nullptr, nullptr));
        QCOMPARE(cached.render(m_acme, u"sms"_s, u"t"_s, u"+1"_s, kEvent)->text, u"first"_s);
        QCOMPARE(uncached.render(m_acme, u"sms"_s, u"t"_s, u"+1"_s, kEvent)->text, u"second"_s);
        // A template for the type itself wins over '*' once read again.
        QVERIFY(store.put(makeTemplate(m_acme, u"sms"_s, u"t"_s, u"own"_s), nullptr, nullptr));
        QCOMPARE(uncached.render(m_acme, u"sms"_s, u"t"_s, u"+1"_s, kEvent)->text, u"own"_s);
    }

    void startAgent()
    {
        auto cert = test::run(test::agentBinary(),
                              {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env());
        QCOMPARE(cert.exitCode, 0);
        m_pin = QRegularExpression(u"fingerprint  (sha256/\\S+)"_s).match(cert.out).captured(1);
        m_admin = token({u"--role"_s, u"admin"_s});
        m_betaAdmin = token({u"--role"_s, u"admin"_s, u"--tenant"_s, u"beta"_s});
        m_acmeViewer = token({u"--role"_s, u"viewer"_s, u"--tenant"_s, u"acme"_s});
        QVERIFY(!m_pin.isEmpty() && !m_admin.isEmpty() && !m_betaAdmin.isEmpty() &&
                !m_acmeViewer.isEmpty());
        m_apiPort = test::freePort();
        const quint16 httpPort = test::freePort();
        auto e = test::agentEnvironment(m_db->url(), httpPort);
        test::addApi(e, m_apiPort, m_dir.path());
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(httpPort), qPrintable(m_agent->output()));
    }

    void apiEndToEnd()
    {
        const QString path = u"/v1/tenants/acme/templates/email/order.created"_s;
        const QByteArray body =
            "{\"subject\":\"Order {{data.order}}\",\"text\":\"Hi {{data.customer.name}}"
            "\",\"html\":\"<p>{{data.customer.name}}</p>\",\"options\":{\"reply_to\":"
            "\"{{data.customer.name}}\"},\"sample\":" +
            kEvent + "}";
        auto created = api("PUT", path, body);
        QCOMPARE(created.status, 201);
        QCOMPARE(object(created).value("event_type"_L1).toString(), u"order.created"_s);
        QCOMPARE(api("PUT", path, body).status, 200);
        QCOMPARE(
            api("PUT", u"/v1/tenants/acme/templates/sms/*"_s, "{\"text\":\"{{type}}\"}").status,
            201);

        auto one = api("GET", path, {}, m_acmeViewer);
        QCOMPARE(one.status, 200);
        QCOMPARE(object(one).value("html"_L1).toString(), u"<p>{{data.customer.name}}</p>"_s);
        QCOMPARE(object(one).value("options"_L1).toObject().value("reply_to"_L1).toString(),
                 u"{{data.customer.name}}"_s);
        QVERIFY(!object(one).contains("sample"_L1)); // the sample is not stored
        auto page = api("GET", u"/v1/tenants/acme/templates?limit=1"_s, {}, m_acmeViewer);
        QCOMPARE(page.status, 200);
        QCOMPARE(object(page).value("items"_L1).toArray().size(), 1);
        const QString cursor = object(page).value("next_cursor"_L1).toString();
        QVERIFY(!cursor.isEmpty());
        auto rest = api("GET", u"/v1/tenants/acme/templates?cursor="_s + cursor);
        QCOMPARE(object(rest).value("items"_L1).toArray().first().toObject().value("channel"_L1),
                 u"sms"_s);
        QVERIFY(object(rest).value("next_cursor"_L1).isNull());

        // Another tenant's admin does not see acme; a viewer cannot write.
        QCOMPARE(api("GET", path, {}, m_betaAdmin).status, 404);
        QCOMPARE(api("PUT", path, body, m_betaAdmin).status, 404);
        QCOMPARE(api("PUT", path, body, m_acmeViewer).status, 403);

        QCOMPARE(api("DELETE", path).status, 204);
        QCOMPARE(api("GET", path).status, 404);
        QCOMPARE(api("DELETE", path).status, 404);
        QCOMPARE(audit(u"acme/template/email/order.created"_s),
                 u"template.create,template.update,template.delete"_s);
        QVERIFY(m_db->scalar(u"SELECT actor FROM audit_log WHERE subject = "
                             "'acme/template/email/order.created' AND action = "
                             "'template.delete'"_s)
                    .startsWith("api:token/"_L1));
    }

    void apiRefusesAtSaveTime()
    {
        const QString path = u"/v1/tenants/acme/templates/email/order.paid"_s;
        auto bad =
            api("PUT", path, "{\"subject\":\"x\",\"html\":\"<p>\\n{{#if data.vip}}VIP</p>\"}");
        QCOMPARE(bad.status, 422);
        QCOMPARE(object(bad).value("field"_L1).toString(), u"html"_s);
        QVERIFY2(object(bad)
                     .value("detail"_L1)
                     .toString()
                     .contains(u"unclosed {{#if data.vip}} opened at 2:1"_s),
                 bad.body.constData());

        auto missing = api(
            "PUT", path, "{\"text\":\"Dear {{data.customer.surname}}\",\"sample\":" + kEvent + "}");
        QCOMPARE(missing.status, 422);
        QCOMPARE(object(missing).value("field"_L1).toString(), u"text"_s);
        QVERIFY2(
            object(missing)
                .value("detail"_L1)
                .toString()
                .contains(u"missing variable data.customer.surname at 1:6 in the sample event"_s),
            missing.body.constData());

        auto option = api("PUT", path, "{\"options\":{\"parameters\":[\"{{this}}\"]}}");
        QCOMPARE(option.status, 422);
        QCOMPARE(object(option).value("field"_L1).toString(), u"options.parameters[0]"_s);

        QCOMPARE(api("PUT", path, "{\"text\":\"x\",\"extra\":1}").status, 422);
        QCOMPARE(api("PUT", path, "{\"text\":5}").status, 422);
        QCOMPARE(api("PUT", path, "{}").status, 422);
        QCOMPARE(api("PUT", u"/v1/tenants/acme/templates/fax/x"_s, "{\"text\":\"x\"}").status, 422);
        QCOMPARE(
            api("PUT", u"/v1/tenants/acme/templates/sms/bad%20type"_s, "{\"text\":\"x\"}").status,
            404);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM templates"_s), u"0"_s);
    }

    void ferryctlCommands()
    {
        const QString config = m_dir.filePath(u"ctl/ferryctl.json"_s);
        const QHash<QString, QString> ctlEnv{{u"FERRYCTL_CONFIG"_s, config}};
        const auto ctl = [&](const QStringList &args) {
            return test::run(QStringLiteral(FERRYCTL_BIN), args, ctlEnv);
        };
        const QString url = u"https://127.0.0.1:%1"_s.arg(m_apiPort);
        const QString tokenFile = m_dir.filePath(u"admin.token"_s);
        {
            QFile f(tokenFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(m_admin);
        }
        QCOMPARE(ctl({u"login"_s, u"--url"_s, url, u"--token-file"_s, tokenFile, u"--pin"_s, m_pin})
                     .exitCode,
                 0);
        const auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(m_dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        write(u"body.txt"_s, "Hi {{data.customer.name}},\nyour order {{data.order}}.\n");
        write(u"body.html"_s, "<p>{{data.customer.name}}</p>");
        write(u"options.json"_s, "{\"reply_to\":\"{{data.customer.name}}\"}");
        write(u"sample.json"_s, kEvent);
        const QStringList put{u"templates"_s,      u"put"_s,
                              u"--tenant"_s,       u"acme"_s,
                              u"email"_s,          u"*"_s,
                              u"--subject"_s,      u"Order {{data.order}}"_s,
                              u"--text-file"_s,    m_dir.filePath(u"body.txt"_s),
                              u"--html-file"_s,    m_dir.filePath(u"body.html"_s),
                              u"--options-file"_s, m_dir.filePath(u"options.json"_s),
                              u"--sample-file"_s,  m_dir.filePath(u"sample.json"_s)};
        auto r = ctl(put);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto stored = TemplateStore(m_conn, {}).get(m_acme, u"acme"_s, u"email"_s, u"*"_s);
        QVERIFY(stored);
        QCOMPARE(stored->parts.text, u"Hi {{data.customer.name}},\nyour order {{data.order}}.\n"_s);
        QCOMPARE(stored->parts.options.value("reply_to"_L1).toString(),
                 u"{{data.customer.name}}"_s);

        r = ctl({u"templates"_s, u"list"_s, u"--tenant"_s, u"acme"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"email"_s) && r.out.contains(u"Order {{data.order}}"_s),
                 qPrintable(r.out));
        r = ctl(
            {u"templates"_s, u"show"_s, u"--tenant"_s, u"acme"_s, u"email"_s, u"*"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value("html"_L1).toString(),
                 u"<p>{{data.customer.name}}</p>"_s);

        // A missing variable of the sample: refused, the part named.
        write(u"body.txt"_s, "{{data.customer.surname}}");
        r = ctl(put);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"text: missing variable data.customer.surname"_s),
                 qPrintable(r.err));
        r = ctl({u"templates"_s, u"put"_s, u"--tenant"_s, u"acme"_s, u"email"_s, u"*"_s,
                 u"--options-file"_s, m_dir.filePath(u"body.txt"_s)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"does not hold a JSON object"_s), qPrintable(r.err));

        r = ctl({u"templates"_s, u"delete"_s, u"--tenant"_s, u"acme"_s, u"email"_s, u"*"_s});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM templates"_s), u"0"_s);
        QCOMPARE(ctl({u"templates"_s, u"list"_s}).exitCode, 2); // no --tenant
    }
};

QTEST_GUILESS_MAIN(TestTemplates)
#include "tst_templates.moc"
