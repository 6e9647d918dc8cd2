// Workflows through a real agent and a real webhook receiver: a dunning workflow (payment
// failed → email → grace period → SMS → downgrade → CRM flag) runs its steps in order, is
// cancelled by invoice.paid for the same customer, compensates in reverse order when a step
// fails for good, and resumes after a SIGKILL without repeating a completed step's delivery.
#include "agent/store/pgconnection.h"
#include "agent/store/workflow/workflowstore.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace ferry::agent;
using namespace Qt::StringLiterals;

namespace {

// The types the workflow emits, each delivered by a route of its own to the receiver.
const QStringList kStepTypes{u"dunning.email"_s,         u"dunning.sms"_s,
                             u"entitlement.downgrade"_s, u"crm.flag"_s,
                             u"entitlement.restore"_s,   u"dunning.email.withdrawn"_s};

QJsonArray dunningSteps()
{
    return QJsonDocument::fromJson(R"([
        {"name": "email", "emit": "dunning.email", "compensate": "dunning.email.withdrawn"},
        {"name": "grace", "wait": "2s"},
        {"name": "sms", "emit": "dunning.sms"},
        {"name": "downgrade", "emit": "entitlement.downgrade",
         "compensate": "entitlement.restore"},
        {"name": "crm", "emit": "crm.flag"}])")
        .array();
}

} // namespace

class TestWorkflows : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    std::unique_ptr<test::Process> m_receiver;
    std::unique_ptr<test::Process> m_crm; // refuses the poisoned customer (400)
    quint16 m_port = 0;
    quint16 m_receiverPort = 0;
    quint16 m_crmPort = 0;
    QString m_token;

    void startAgent()
    {
        auto env = test::agentEnvironment(m_db->url(), m_port);
        env.insert(u"FERRY_WORKFLOW_LEASE"_s, u"2s"_s);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_port), qPrintable(m_agent->output()));
    }

    void publish(const QString &id, const QString &type, const QString &customer)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_port);
        r.body = u"{\"specversion\":\"1.0\",\"id\":\"%1\",\"source\":\"/billing\",\"type\":\"%2\","
                 "\"data\":{\"customer\":\"%3\",\"invoice\":\"in_%1\"}}"_s.arg(id, type, customer)
                     .toUtf8();
        r.headers = {{"Authorization", "Bearer " + m_token.toUtf8()},
                     {"Content-Type", "application/cloudevents+json"}};
        QCOMPARE(test::http(r).status, 202);
    }

    QString instance(const QString &customer, const QString &column) const
    {
        return m_db->scalar(
            u"SELECT %1 FROM workflow_instances WHERE correlation = '%2'"_s.arg(column, customer));
    }

    QString waitForState(const QString &customer, const QStringList &states,
                         int timeoutMs = 30000) const
    {
        QString state;
        QElapsedTimer clock;
        clock.start();
        while (!states.contains(state = instance(customer, u"state"_s)) &&
               clock.elapsed() < timeoutMs)
            QTest::qWait(100);
        return state;
    }

    // The steps of a customer's instance as "name/phase/state", in the order they started.
    QString history(const QString &customer) const
    {
        return m_db->scalar(u"SELECT string_agg(s.name || '/' || s.phase || '/' || s.state, ' ' "
                            "ORDER BY s.started_at, s.step) FROM workflow_steps s JOIN "
                            "workflow_instances i ON i.id = s.instance_id WHERE "
                            "i.correlation = '%1'"_s.arg(customer));
    }

    // The types of the events the workflow emitted for a customer, in order.
    QString emitted(const QString &customer) const
    {
        return m_db->scalar(u"SELECT string_agg(type, ' ' ORDER BY received_at) FROM events "
                            "WHERE source = '/workflows/dunning' AND payload::jsonb->>'subject' = "
                            "'%1'"_s.arg(customer));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"workflows"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        m_token = test::createTenant(m_db->url(), u"shop"_s);
        QVERIFY(!m_token.isEmpty());
        m_receiverPort = test::freePort();
        m_crmPort = test::freePort();
        QStringList args{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_receiverPort)};
        QStringList crmArgs{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_crmPort), u"--poison-marker"_s,
                            u"cus_poison"_s};
        for (const QString &type : kStepTypes) {
            const bool crm = type == "crm.flag"_L1;
            const QString secret = test::addEndpoint(
                m_db->url(), u"shop"_s,
                u"http://127.0.0.1:%1/%2"_s.arg(crm ? m_crmPort : m_receiverPort).arg(type), type);
            QVERIFY(!secret.isEmpty());
            (crm ? crmArgs : args) << u"--secret"_s << secret;
        }
        m_receiver = std::make_unique<test::Process>(test::receiverBinary(), args);
        QVERIFY(m_receiver->start());
        m_crm = std::make_unique<test::Process>(test::receiverBinary(), crmArgs);
        QVERIFY(m_crm->start());

        store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        const qint64 tenantId =
            m_db->scalar(u"SELECT id FROM tenants WHERE name = 'shop'"_s).toLongLong();
        const store::WorkflowDefinition dunning{u"dunning"_s,
                                                u"invoice.payment_failed"_s,
                                                {u"invoice.paid"_s},
                                                {u"data"_s, u"customer"_s},
                                                dunningSteps(),
                                                0,
                                                {},
                                                {}};
        auto stored =
            store::WorkflowStore(db, u"test"_s).put(tenantId, u"shop"_s, dunning, nullptr);
        QVERIFY2(stored, stored ? "" : qPrintable(stored.error().message));
        m_port = test::freePort();
        startAgent();
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void stepsRunInOrder()
    {
        publish(u"f-1"_s, u"invoice.payment_failed"_s, u"cus_1"_s);
        QCOMPARE(waitForState(u"cus_1"_s, {u"completed"_s}), u"completed"_s);
        QCOMPARE(history(u"cus_1"_s), u"email/do/done grace/do/done sms/do/done "
                                      "downgrade/do/done crm/do/done"_s);
        QCOMPARE(emitted(u"cus_1"_s),
                 u"dunning.email dunning.sms entitlement.downgrade crm.flag"_s);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM deliveries d JOIN events e ON "
                              "e.id = d.event_id WHERE e.source = '/workflows/dunning' AND "
                              "e.payload::jsonb->>'subject' = 'cus_1' AND d.state = 'succeeded'"_s),
                 u"4"_s);
        // What the API lists: every instance when no filter is given.
        store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        const qint64 tenantId =
            m_db->scalar(u"SELECT id FROM tenants WHERE name = 'shop'"_s).toLongLong();
        auto listed = store::WorkflowStore(db, u"test"_s).instances(tenantId, {}, {}, 10);
        QVERIFY(listed);
        QCOMPARE(listed->size(), 1);
        QCOMPARE(listed->first().state, u"completed"_s);
        QCOMPARE(listed->first().steps.size(), 5);
    }

    // invoice.paid during the grace period: no SMS, no downgrade, nothing undone.
    void invoicePaidCancelsTheRest()
    {
        publish(u"f-2"_s, u"invoice.payment_failed"_s, u"cus_2"_s);
        QElapsedTimer clock;
        clock.start();
        while (!history(u"cus_2"_s).contains(u"grace/do/started"_s) && clock.elapsed() < 20000)
            QTest::qWait(50);
        QVERIFY2(history(u"cus_2"_s).contains(u"grace/do/started"_s),
                 qPrintable(history(u"cus_2"_s)));
        publish(u"p-2"_s, u"invoice.paid"_s, u"cus_2"_s);
        QCOMPARE(waitForState(u"cus_2"_s, {u"cancelled"_s, u"completed"_s}), u"cancelled"_s);
        QCOMPARE(emitted(u"cus_2"_s), u"dunning.email"_s);
        // Another customer's payment cancels nothing of this one's.
        publish(u"f-3"_s, u"invoice.payment_failed"_s, u"cus_3"_s);
        publish(u"p-x"_s, u"invoice.paid"_s, u"cus_other"_s);
        QCOMPARE(waitForState(u"cus_3"_s, {u"cancelled"_s, u"completed"_s}), u"completed"_s);
    }

    // The CRM refuses the poisoned customer for good: the downgrade, then the email, are undone
    // (last first); the grace period and the SMS have nothing to undo.
    void permanentFailureCompensatesInReverseOrder()
    {
        publish(u"f-4"_s, u"invoice.payment_failed"_s, u"cus_poison"_s);
        QCOMPARE(waitForState(u"cus_poison"_s, {u"compensated"_s, u"failed"_s, u"completed"_s}),
                 u"compensated"_s);
        QCOMPARE(history(u"cus_poison"_s),
                 u"email/do/done grace/do/done sms/do/done downgrade/do/done crm/do/failed "
                 "downgrade/undo/done email/undo/done"_s);
        QCOMPARE(emitted(u"cus_poison"_s),
                 u"dunning.email dunning.sms entitlement.downgrade crm.flag "
                 "entitlement.restore dunning.email.withdrawn"_s);
        QVERIFY2(instance(u"cus_poison"_s, u"error"_s).contains(u"step 'crm' failed"_s),
                 qPrintable(instance(u"cus_poison"_s, u"error"_s)));
    }

    // Killed while instances are at every step: each resumes where it stopped, and no step
    // that was done is done again (its event and its delivery stay single).
    void sigkillMidWorkflowResumes()
    {
        QStringList customers;
        for (int i = 0; i < 8; ++i) {
            customers << u"cus_k%1"_s.arg(i);
            publish(u"k-%1"_s.arg(i), u"invoice.payment_failed"_s, customers.last());
            QTest::qWait(250);
        }
        const QStringList doneBefore =
            m_db->scalar(u"SELECT string_agg(d.id::text, ',') FROM deliveries d JOIN events e ON "
                         "e.id = d.event_id WHERE e.source = '/workflows/dunning' AND "
                         "d.state = 'succeeded' AND e.payload::jsonb->>'subject' LIKE 'cus_k%'"_s)
                .split(u',', Qt::SkipEmptyParts);
        m_agent->kill();
        QVERIFY2(!doneBefore.isEmpty(), "no step was done before the kill: it proves nothing");
        startAgent();
        for (const QString &c : customers)
            QCOMPARE(waitForState(c, {u"completed"_s}, 60000), u"completed"_s);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM events WHERE source = '/workflows/dunning' "
                              "AND payload::jsonb->>'subject' LIKE 'cus_k%'"_s),
                 QString::number(4 * customers.size()));
        QHash<QString, int> received;
        for (const quint16 port : {m_receiverPort, m_crmPort}) {
            test::HttpRequest h;
            h.method = "GET";
            h.url = u"http://127.0.0.1:%1/received"_s.arg(port);
            for (const QJsonValue &v : QJsonDocument::fromJson(test::http(h).body).array())
                received.insert(v["webhook_id"_L1].toString(), v["count"_L1].toInt());
        }
        for (const QString &id : doneBefore)
            QVERIFY2(received.value(id) == 1,
                     qPrintable(u"%1 delivered %2 times"_s.arg(id).arg(received.value(id))));
    }
};

QTEST_GUILESS_MAIN(TestWorkflows)
#include "tst_workflows.moc"
