// Delivery receipts and the billing ledger. First the store on its own: every ordering of a
// message's receipts, each repeated, moves it forward only. Then end to end: SMS (Twilio) and
// WhatsApp (Meta) messages sent through the provider simulator, whose signed status callbacks
// come back to the agent's inbound connectors repeated and out of order; every message ends in
// the provider's own final state, with one ledger entry each.
#include "agent/store/admin/credentialstore.h"
#include "agent/store/admin/routestore.h"
#include "agent/store/admin/templatestore.h"
#include "agent/store/inbound/connectorstore.h"
#include "agent/store/inbound/receiptstore.h"
#include "agent/store/pgconnection.h"
#include "agent/store/readmodels/reportstore.h"
#include "shared/masterkey.h"
#include "tests/support/providersim.h"
#include "tests/support/testsupport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace ferry;
using namespace ferry::agent;
using namespace Qt::StringLiterals;

namespace {

constexpr char kSid[] = "ACreceipts";
constexpr char kToken[] = "receipts-auth-token";
constexpr char kMetaToken[] = "meta-access-token";
constexpr char kAppSecret[] = "meta-app-secret";
constexpr int kMessages = 24; // per channel

store::Receipt receipt(const QString &id, const QString &status, int rank)
{
    return {id, status, rank, {}, {}, {}};
}

} // namespace

class TestReceipts : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::ProviderSim> m_sim;
    std::unique_ptr<test::Process> m_agent;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    qint64 m_tenantId = 0;
    QString m_token;

    QString keyFile() const { return m_dir.filePath(u"master.key"_s); }

    void setUpChannels(store::PgConnection &db, const MasterKey &key)
    {
        bool created = false;
        const QJsonObject twilio{{u"account_sid"_s, QString::fromLatin1(kSid)},
                                 {u"auth_token"_s, QString::fromLatin1(kToken)},
                                 {u"from"_s, u"+15550001111"_s}};
        const QJsonObject meta{{u"access_token"_s, QString::fromLatin1(kMetaToken)},
                               {u"phone_number_id"_s, u"1234567"_s}};
        const store::AccountSettings account{m_sim->baseUrl(), 0, 0};
        store::CredentialStore credentials(db, u"test"_s);
        QVERIFY(credentials.put(m_tenantId, u"shop"_s, u"sms-main"_s, u"twilio"_s, twilio, account,
                                key, &created));
        QVERIFY(credentials.put(m_tenantId, u"shop"_s, u"wa-main"_s, u"meta"_s, meta, account, key,
                                &created));
        for (const QString &channel : {u"sms"_s, u"whatsapp"_s}) {
            store::StoredTemplate t;
            t.tenantId = m_tenantId;
            t.tenant = u"shop"_s;
            t.channel = channel;
            t.eventType = u"*"_s;
            t.parts.text = u"Order {{data.order}} is on its way"_s;
            QVERIFY(store::TemplateStore(db, u"test"_s).put(t, nullptr, &created));
            store::Route route;
            route.tenantId = m_tenantId;
            route.tenant = u"shop"_s;
            route.channel = channel;
            route.target = channel == "sms"_L1 ? u"{{data.phone}}"_s : u"{{data.wa}}"_s;
            route.credential = channel == "sms"_L1 ? u"sms-main"_s : u"wa-main"_s;
            auto r = store::RouteStore(db, u"test"_s, nullptr).create(route, nullptr);
            QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        }
    }

    void setUpConnectors(store::PgConnection &db, const MasterKey &key)
    {
        store::ConnectorStore connectors(db, u"test"_s);
        // Named as the SMS credential: the adapter's StatusCallback names it.
        QVERIFY(connectors.put(m_tenantId, u"shop"_s, u"sms-main"_s, u"twilio"_s, {},
                               {{kToken}, {}}, key, nullptr));
        QVERIFY(connectors.put(m_tenantId, u"shop"_s, u"wa-main"_s, u"whatsapp"_s, {},
                               {{kAppSecret}, "verify"}, key, nullptr));
        QVERIFY(store::ReceiptStore(db).setPrice(m_tenantId, u"shop"_s, u"sms"_s, 0.0079, u"USD"_s,
                                                 u"test"_s));
    }

    void startAgent(const QHash<QString, QString> &extra = {})
    {
        auto env = test::agentEnvironment(m_db->url(), m_port);
        env.insert(u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, keyFile());
        env.insert(u"FERRY_CHANNELS_STATUS_CALLBACK_URL"_s, u"http://127.0.0.1:%1"_s.arg(m_port));
        env.insert(extra);
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, env);
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_port), qPrintable(m_agent->output()));
    }

    void publish(int first)
    {
        for (int i = first; i < first + kMessages; ++i) {
            test::HttpRequest r;
            r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_port);
            r.body = event(i);
            r.headers = {{"Authorization", "Bearer " + m_token.toUtf8()},
                         {"Content-Type", "application/cloudevents+json"}};
            QCOMPARE(test::http(r).status, 202);
        }
    }

    // The SMS messages whose state Ferry has from the provider's callbacks differs from the
    // provider's own, once every message is final at the provider and every callback is in.
    QStringList smsDrifts()
    {
        QHash<QString, QString> theirs;
        static const QStringList final{u"delivered"_s, u"undelivered"_s, u"failed"_s};
        QElapsedTimer clock;
        clock.start();
        for (bool settled = false; !settled && clock.elapsed() < 30000;) {
            QTest::qWait(200);
            theirs.clear();
            const QJsonArray messages = m_sim->stats(u"twilio"_s).value("messages"_L1).toArray();
            for (const QJsonValue &m : messages)
                theirs.insert(m["id"_L1].toString(), m["status"_L1].toString());
            settled =
                theirs.size() == 2 * kMessages &&
                std::all_of(theirs.cbegin(), theirs.cend(),
                            [](const QString &v) { return final.contains(v); }) &&
                m_db->scalar(u"SELECT count(*) FROM inbox WHERE state = 'pending'"_s) == "0"_L1;
        }
        QTest::qWait(500); // the last callbacks on their way
        const QHash<QString, QString> ours = ourStates();
        QStringList drifts;
        for (auto it = theirs.cbegin(); it != theirs.cend(); ++it) {
            if (ours.value(it.key()) != it.value())
                drifts.append(it.key() + u' ' + ours.value(it.key()) + u' ' + it.value());
        }
        drifts.sort();
        return drifts;
    }

    QByteArray event(int i) const
    {
        // Every fourth number fails after it was sent, every fourth (another) at once.
        const QString sms = i % 4 == 0   ? u"+1555999%1"_s.arg(1000 + i)
                            : i % 4 == 1 ? u"+1555998%1"_s.arg(1000 + i)
                                         : u"+1415555%1"_s.arg(1000 + i);
        const QString wa = i % 3 == 0 ? u"1555999%1"_s.arg(1000 + i) : u"1415556%1"_s.arg(1000 + i);
        return u"{\"specversion\":\"1.0\",\"id\":\"r-%1\",\"source\":\"/shop\","
               "\"type\":\"order.shipped\",\"data\":{\"order\":%1,\"phone\":\"%2\","
               "\"wa\":\"%3\"}}"_s.arg(i)
                   .arg(sms, wa)
                   .toUtf8();
    }

    // The simulator's own final status of each message it accepted, by provider message id.
    QHash<QString, QString> providerStates() const
    {
        QHash<QString, QString> out;
        for (const QString &provider : {u"twilio"_s, u"meta"_s}) {
            const QJsonArray messages = m_sim->stats(provider).value("messages"_L1).toArray();
            for (const QJsonValue &m : messages)
                out.insert(m["id"_L1].toString(), m["status"_L1].toString());
        }
        return out;
    }

    QHash<QString, QString> ourStates() const
    {
        QHash<QString, QString> out;
        const QStringList rows =
            m_db->scalar(u"SELECT string_agg(provider_message_id || '=' || status, ' ') "
                         "FROM delivery_receipts"_s)
                .split(u' ', Qt::SkipEmptyParts);
        for (const QString &row : rows)
            out.insert(row.section(u'=', 0, 0), row.section(u'=', 1));
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"receipts"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QCOMPARE(
            test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}})
                .exitCode,
            0);
        m_token = test::createTenant(m_db->url(), u"shop"_s);
        QVERIFY(!m_token.isEmpty());
        m_tenantId = m_db->scalar(u"SELECT id FROM tenants WHERE name = 'shop'"_s).toLongLong();
        QCOMPARE(test::run(test::agentBinary(), {u"credentials"_s, u"generate-key"_s, keyFile()})
                     .exitCode,
                 0);
    }

    // One message's receipts (accepted, sent, delivered, each two or three times) in many
    // orders: after every receipt the message is at the highest state seen so far, and it ends
    // delivered, with one ledger entry estimated from the tenant's price.
    void shuffledRepeatedReceiptsNeverMoveBack()
    {
        QVERIFY(m_db->exec(
            u"INSERT INTO endpoints (tenant_id, url, secret, channel) VALUES (%1, '', 'x', 'sms');"
            "INSERT INTO events (id, tenant_id, source, ce_id, type, payload) VALUES "
            "(gen_random_uuid(), %1, '/t', 'e1', 't', '{}')"_s.arg(m_tenantId)));
        QVERIFY(m_db->exec(u"INSERT INTO tenant_prices VALUES (%1, 'sms', 0.0079, 'USD') "
                           "ON CONFLICT DO NOTHING"_s.arg(m_tenantId)));
        const QList<store::Receipt> history{receipt(u"accepted"_s, u"accepted"_s, 1),
                                            receipt({}, u"sent"_s, 2),
                                            receipt({}, u"delivered"_s, 3)};
        store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        QRandomGenerator rng(17);
        for (int round = 0; round < 40; ++round) {
            const QString id = u"SMshuffle%1"_s.arg(round);
            QVERIFY(m_db->exec(
                u"INSERT INTO deliveries (event_id, endpoint_id, tenant_id) SELECT e.id, "
                "ep.id, %1 FROM events e, endpoints ep WHERE e.ce_id = 'e1' AND "
                "ep.channel = 'sms' AND ep.tenant_id = %1 ON CONFLICT DO NOTHING;"
                "UPDATE deliveries SET provider_message_id = '%2', state = 'succeeded' WHERE "
                "provider_message_id IS NULL AND tenant_id = %1"_s.arg(m_tenantId)
                    .arg(id)));
            QList<store::Receipt> receipts;
            for (store::Receipt r : history) {
                r.providerMessageId = id;
                for (int n = 2 + int(rng.bounded(2)); n > 0; --n)
                    receipts.append(r);
            }
            std::shuffle(receipts.begin(), receipts.end(), rng);
            int highest = 1;
            for (const store::Receipt &r : receipts) {
                auto effect = store::ReceiptStore(db).apply(m_tenantId, r);
                QVERIFY(effect);
                QCOMPARE(*effect, r.rank > highest ? store::ReceiptEffect::Applied
                                                   : store::ReceiptEffect::Ignored);
                highest = std::max(highest, r.rank);
                QCOMPARE(m_db->scalar(u"SELECT rank FROM delivery_receipts WHERE "
                                      "provider_message_id = '%1'"_s.arg(id))
                             .toInt(),
                         highest);
            }
            QCOMPARE(m_db->scalar(u"SELECT status || ' ' || receipts FROM delivery_receipts WHERE "
                                  "provider_message_id = '%1'"_s.arg(id)),
                     u"delivered %1"_s.arg(receipts.size()));
            // Deliveries of this test move out of the way of the next round's insert.
            QVERIFY(m_db->exec(u"UPDATE events SET ce_id = 'done-%1' WHERE ce_id = 'e1';"
                               "INSERT INTO events (id, tenant_id, source, ce_id, type, payload) "
                               "VALUES (gen_random_uuid(), %2, '/t', 'e1', 't', '{}')"_s.arg(round)
                                   .arg(m_tenantId)));
        }
        QCOMPARE(m_db->scalar(u"SELECT count(*) || ' ' || count(DISTINCT delivery_id) || ' ' || "
                              "min(cost) || ' ' || bool_and(estimated) FROM billing_ledger"_s),
                 u"40 40 0.007900 true"_s);
        QCOMPARE(
            store::ReceiptStore(db).apply(m_tenantId, receipt(u"SMnone"_s, u"sent"_s, 2)).value(),
            store::ReceiptEffect::Unmatched);
        // Another tenant's receipt does not reach this tenant's message.
        QCOMPARE(store::ReceiptStore(db)
                     .apply(m_tenantId + 1000, receipt(u"SMshuffle0"_s, u"read"_s, 4))
                     .value(),
                 store::ReceiptEffect::Unmatched);
        QVERIFY(m_db->exec(u"DELETE FROM billing_ledger; DELETE FROM deliveries; "
                           "DELETE FROM events; DELETE FROM endpoints"_s));
    }

    void providersCallbacksRepeatedAndReorderedEndInTheProvidersState()
    {
        m_port = test::freePort();
        m_sim = std::make_unique<test::ProviderSim>(QStringList{
            u"--twilio-account"_s, QLatin1StringView(kSid) + u":"_s + QLatin1StringView(kToken),
            u"--meta-token"_s, QString::fromLatin1(kMetaToken), u"--meta-app-secret"_s,
            QString::fromLatin1(kAppSecret), u"--meta-callback"_s,
            u"http://127.0.0.1:%1/v1/inbound/shop/wa-main"_s.arg(m_port), u"--knobs"_s,
            u"{\"duplicate_callbacks\":0.5,\"reorder_callbacks\":0.5,\"callback_delay_ms\":5}"_s});
        QVERIFY(m_sim->start());
        store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        auto key = MasterKey::load(keyFile());
        QVERIFY(key);
        setUpChannels(db, *key);
        setUpConnectors(db, *key);
        startAgent();
        publish(0);
        // Every message the providers accepted ends where the provider says it is.
        QHash<QString, QString> theirs;
        QHash<QString, QString> ours;
        QElapsedTimer clock;
        clock.start();
        do {
            QTest::qWait(200);
            theirs = providerStates();
            ours = ourStates();
        } while ((theirs.size() < 2 * kMessages || ours != theirs) && clock.elapsed() < 60000);
        QCOMPARE(theirs.size(), 2 * kMessages);
        QStringList drift;
        for (auto it = theirs.cbegin(); it != theirs.cend(); ++it) {
            if (ours.value(it.key()) != it.value())
                drift.append(u"%1: provider %2, Ferry %3"_s.arg(it.key(), it.value(),
                                                                ours.value(it.key(), u"-"_s)));
        }
        QVERIFY2(drift.isEmpty(), qPrintable(drift.join(u"; "_s) + u"\n"_s +
                                             m_db->scalar(u"SELECT string_agg(state || ' ' || "
                                                          "coalesce(last_error, ''), '; ') "
                                                          "FROM inbox WHERE state <> 'done'"_s)));
        QVERIFY(theirs.values().contains(u"undelivered"_s));
        QVERIFY(theirs.values().contains(u"failed"_s));
        QVERIFY(theirs.values().contains(u"read"_s));
        const QJsonObject twilio = m_sim->stats(u"twilio"_s);
        const QJsonObject meta = m_sim->stats(u"meta"_s);
        QVERIFY(twilio.value("callbacks_sent"_L1).toInt() > 0);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM billing_ledger"_s).toInt(),
                 twilio.value("accepted"_L1).toInt() + meta.value("accepted"_L1).toInt());
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM billing_ledger WHERE channel = 'sms' AND "
                              "cost = 0.0079 AND currency = 'USD'"_s)
                     .toInt(),
                 kMessages);
        // Repeats that came after the final state are processed too, and change nothing.
        clock.restart();
        while (m_db->scalar(u"SELECT count(*) FROM inbox WHERE state = 'pending'"_s) != "0"_L1 &&
               clock.elapsed() < 20000)
            QTest::qWait(100);
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM inbox WHERE state <> 'done'"_s), u"0"_s);
        QCOMPARE(ourStates(), theirs);
        QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    // Callbacks the provider never sent: a reconciliation run asks Twilio about each message
    // still without a final receipt, moves it to the provider's state, takes the provider's
    // price into the ledger, and lists every drift it corrected.
    void reconciliationCorrectsWhatCallbacksNeverSaid()
    {
        QVERIFY(m_sim->setKnobs(QJsonObject{{u"provider"_s, u"twilio"_s},
                                            {u"drop_callbacks"_s, 0.6},
                                            {u"duplicate_callbacks"_s, 0},
                                            {u"reorder_callbacks"_s, 0}}));
        startAgent(
            {{u"FERRY_RECONCILE_AFTER"_s, u"0s"_s}, {u"FERRY_RECONCILE_INTERVAL"_s, u"1h"_s}});
        publish(kMessages);
        const QStringList before = smsDrifts();
        QVERIFY2(!before.isEmpty(), "no callback was dropped: the test proves nothing");
        const QString run = m_db->scalar(u"INSERT INTO reconcile_runs (tenant_id, trigger, "
                                         "requested_by) VALUES (%1, 'request', 'test') "
                                         "RETURNING id"_s.arg(m_tenantId));
        QElapsedTimer clock;
        clock.start();
        while (
            m_db->scalar(u"SELECT finished_at IS NOT NULL FROM reconcile_runs WHERE id = %1"_s.arg(
                run)) != "t"_L1 &&
            clock.elapsed() < 30000)
            QTest::qWait(100);
        QCOMPARE(m_db->scalar(u"SELECT drifts || ' ' || failures FROM reconcile_runs "
                              "WHERE id = %1"_s.arg(run)),
                 u"%1 0"_s.arg(before.size()));
        QCOMPARE(smsDrifts(), QStringList());
        // The report: one line per drift, what Ferry believed and what the provider said.
        QStringList report = m_db->scalar(u"SELECT string_agg(provider_message_id || ' ' || "
                                          "believed || ' ' || provider_said, ',') FROM "
                                          "reconcile_drifts WHERE run_id = %1"_s.arg(run))
                                 .split(u',');
        report.sort();
        QCOMPARE(report, before);
        QVERIFY(m_db->scalar(u"SELECT count(*) FROM billing_ledger WHERE NOT estimated AND "
                             "cost = 0.0075 AND currency = 'USD'"_s)
                    .toInt() > 0);
        // The delivery report's cost column: the ledger's sums, by channel and state.
        store::PgConnection db;
        QVERIFY(db.open(m_db->url()));
        auto deliveries = store::ReportStore(db).deliveryReport(
            m_tenantId, QDateTime::currentDateTimeUtc().addDays(-1),
            QDateTime::currentDateTimeUtc().addDays(1));
        QVERIFY(deliveries);
        for (const auto &row : *deliveries) {
            if (row.channel != "sms"_L1 || row.state != "succeeded"_L1)
                continue;
            QVERIFY(row.cost);
            QCOMPARE(QString::number(*row.cost, 'f', 6),
                     m_db->scalar(u"SELECT sum(cost) FROM billing_ledger WHERE channel = 'sms'"_s));
        }
        QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }
};

QTEST_GUILESS_MAIN(TestReceipts)
#include "tst_receipts.moc"
