// Message templates against a real PostgreSQL: TemplateStore stores, lists and deletes them,
// each change audited, and refuses at save time a template that does not compile or misses a
// variable of the sample event (422, naming the part). MessageRenderer uses the template of the
// event type, else the tenant's '*' one, and says how to fix a missing template.
#include "agent/store/admin/templatestore.h"
#include "agent/store/migrator.h"
#include "agent/store/pgconnection.h"
#include "agent/templates/messagerenderer.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
};

QTEST_GUILESS_MAIN(TestTemplates)
#include "tst_templates.moc"
