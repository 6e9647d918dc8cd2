// Per-tenant quotas at ingest: events per second (token bucket), events per day, and bytes
// per event. Refusals are 429 with Retry-After or 413, name the limit, and store nothing.
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestQuotas : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    quint16 m_port = 0;
    QHash<QString, QString> m_tokens;

    test::HttpRequest post(const QString &tenant, const QString &id,
                           const QString &data = u"1"_s) const
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_port);
        r.body = test::cloudEvent(id, u"t"_s, data);
        r.headers = {{"Authorization", "Bearer " + m_tokens[tenant].toUtf8()},
                     {"Content-Type", "application/cloudevents+json"}};
        return r;
    }
    QString events(const QString &tenant) const
    {
        return m_db->scalar(u"SELECT count(*) FROM events e JOIN tenants t ON t.id = e.tenant_id "
                            "WHERE t.name = '%1'"_s.arg(tenant));
    }
    QString agent(const QStringList &args) const
    {
        auto r = test::run(test::agentBinary(), args, {{u"FERRY_DATABASE_URL"_s, m_db->url()}});
        return r.exitCode == 0 ? r.out.trimmed() : u"ERROR "_s + r.err;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::make_unique<test::TestDatabase>(u"quotas"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        QVERIFY(!agent({u"migrate"_s}).startsWith(u"ERROR"_s));
        m_tokens[u"rate"_s] =
            agent({u"tenant"_s, u"create"_s, u"rate"_s, u"--max-events-per-second"_s, u"5"_s});
        m_tokens[u"daily"_s] =
            agent({u"tenant"_s, u"create"_s, u"daily"_s, u"--max-events-per-day"_s, u"3"_s});
        m_tokens[u"small"_s] = agent({u"tenant"_s, u"create"_s, u"small"_s});
        QCOMPARE(agent({u"tenant"_s, u"quota"_s, u"small"_s, u"--max-payload-bytes"_s, u"200"_s}),
                 u"quotas of tenant 'small' updated"_s);
        for (const auto &t : std::as_const(m_tokens))
            QVERIFY2(t.startsWith(u"fpt_"_s), qPrintable(t));
        QVERIFY(agent({u"tenant"_s, u"quota"_s, u"nobody"_s, u"--max-events-per-day"_s, u"1"_s})
                    .contains(u"no tenant named 'nobody'"_s));
        QVERIFY(agent({u"tenant"_s, u"quota"_s, u"small"_s, u"--max-events-per-day"_s, u"-4"_s})
                    .contains(u"0 or more"_s));

        m_port = test::freePort();
        m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s},
                                                  test::agentEnvironment(m_db->url(), m_port));
        QVERIFY(m_agent->start());
        QVERIFY2(test::waitForHealthy(m_port), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
    }

    void eventsPerSecond()
    {
        // 40 events at once against 5 per second: the bucket admits its burst, refuses the
        // rest with 429 and a Retry-After, and stores exactly what it admitted.
        QList<test::HttpRequest> burst;
        for (int i = 0; i < 40; ++i)
            burst.append(post(u"rate"_s, u"r-%1"_s.arg(i)));
        const auto responses = test::httpMany(burst, 40);
        int accepted = 0, limited = 0;
        for (const auto &r : responses) {
            if (r.status == 202)
                ++accepted;
            if (r.status == 429) {
                ++limited;
                QVERIFY(r.headers.value("retry-after").toInt() >= 1);
                QVERIFY(QJsonDocument::fromJson(r.body)
                            .object()
                            .value("detail"_L1)
                            .toString()
                            .contains(u"5 events per second"_s));
            }
        }
        QCOMPARE(accepted + limited, 40);
        QVERIFY2(limited > 0 && accepted >= 5, qPrintable(u"%1 %2"_s.arg(accepted).arg(limited)));
        QCOMPARE(events(u"rate"_s).toInt(), accepted);
    }

    void eventsPerDay()
    {
        for (int i = 0; i < 3; ++i)
            QCOMPARE(test::http(post(u"daily"_s, u"d-%1"_s.arg(i))).status, 202);
        const auto over = test::http(post(u"daily"_s, u"d-3"_s));
        QCOMPARE(over.status, 429);
        QVERIFY(over.headers.value("retry-after").toInt() >= 1);
        QVERIFY2(over.body.contains("3 events per day"), over.body.constData());
        // A resend of an event that was accepted is still answered as its duplicate.
        QCOMPARE(test::http(post(u"daily"_s, u"d-1"_s)).status, 200);
        QCOMPARE(events(u"daily"_s), u"3"_s);
        QCOMPARE(m_db->scalar(u"SELECT events FROM tenant_usage u JOIN tenants t ON t.id = "
                              "u.tenant_id WHERE t.name = 'daily'"_s),
                 u"3"_s);
        // The refused event's key was not kept, so it can be sent again once the quota allows.
        QCOMPARE(m_db->scalar(u"SELECT count(*) FROM ingest_keys WHERE key LIKE '%d-3'"_s), u"0"_s);
    }

    void bytesPerEvent()
    {
        QCOMPARE(test::http(post(u"small"_s, u"s-1"_s)).status, 202);
        const auto big =
            test::http(post(u"small"_s, u"s-2"_s, u"\"%1\""_s.arg(QString(300, u'x'))));
        QCOMPARE(big.status, 413);
        QVERIFY2(big.body.contains("limit is 200 bytes"), big.body.constData());
        QCOMPARE(events(u"small"_s), u"1"_s);
    }
};

QTEST_GUILESS_MAIN(TestQuotas)
#include "tst_quotas.moc"
