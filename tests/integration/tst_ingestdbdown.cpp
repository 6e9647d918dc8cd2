// With PostgreSQL stopped, ingest answers 503 with Retry-After and acknowledges nothing; once
// the server is back, the agent reconnects by itself and nothing was half-written.
#include "agent/store/pgconnection.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestIngestDatabaseDown : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unavailableDatabaseGets503AndNothingIsWritten()
    {
        QTemporaryDir dir;
        test::PrivateCluster cluster(dir.filePath(u"pg"_s));
        QVERIFY(cluster.start());
        const QString url = cluster.url();
        QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, {{u"FERRY_DATABASE_URL"_s, url}})
                     .exitCode,
                 0);
        const QString token = test::createTenant(url, u"acme"_s);
        QVERIFY(!test::addEndpoint(url, u"acme"_s, u"http://127.0.0.1:9/hook"_s).isEmpty());

        const quint16 port = test::freePort();
        test::Process agent(test::agentBinary(), {u"run"_s}, test::agentEnvironment(url, port));
        QVERIFY(agent.start());
        QVERIFY2(test::waitForHealthy(port), qPrintable(agent.output()));

        const auto post = [&](const QString &id) {
            test::HttpRequest r;
            r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(port);
            r.body = test::cloudEvent(id);
            r.headers = {{"Authorization", "Bearer " + token.toUtf8()},
                         {"Content-Type", "application/cloudevents+json"}};
            return test::http(r);
        };
        QCOMPARE(post(u"before"_s).status, 202);
        // /readyz looks at the stages and their database; /healthz only at the process.
        const auto probe = [&](const char *path, int want) {
            test::HttpRequest r;
            r.method = "GET";
            r.url = u"http://127.0.0.1:%1%2"_s.arg(port).arg(QLatin1StringView(path));
            test::HttpResponse got;
            QElapsedTimer waited;
            waited.start();
            while ((got = test::http(r)).status != want && waited.elapsed() < 30000)
                QTest::qWait(100);
            return got;
        };
        QCOMPARE(probe("/readyz", 200).body, QByteArray(R"({"status":"ready"})"));

        QVERIFY(cluster.stop());
        const auto notReady = probe("/readyz", 503);
        QCOMPARE(notReady.status, 503);
        QVERIFY2(notReady.body.contains("cannot reach PostgreSQL"), notReady.body.constData());
        QCOMPARE(probe("/healthz", 200).status, 200);
        for (int i = 0; i < 3; ++i) {
            const auto r = post(u"during"_s);
            QCOMPARE(r.status, 503);
            QVERIFY(r.headers.contains("retry-after"));
            const auto problem = QJsonDocument::fromJson(r.body).object();
            // "nothing was stored", or, when the connection broke during a commit, "may not
            // have been stored: send them again": either way, a resend is safe.
            QVERIFY2(problem.value("detail"_L1).toString().contains(u"PostgreSQL"_s),
                     r.body.constData());
        }

        QVERIFY(cluster.start());
        QCOMPARE(probe("/readyz", 200).status, 200);
        // Exactly the acknowledged event is there, with its delivery; nothing of the refused one.
        const auto sql = [&](const QString &q) {
            agent::store::PgConnection db;
            if (!db.open(url))
                return u"<no connection>"_s;
            auto r = db.exec(q.toUtf8().constData());
            return r.ok() && r->rows() ? r->text(0, 0) : u"<error>"_s;
        };
        QCOMPARE(sql(u"SELECT string_agg(ce_id, ',') FROM events"_s), u"before"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM ingest_keys"_s), u"1"_s);
        QCOMPARE(sql(u"SELECT count(*) FROM deliveries"_s), u"1"_s);

        // The agent reconnects by itself: the refused event is new, not a duplicate.
        // (A plain loop: QTRY_* evaluates its expression again after success.)
        test::HttpResponse after;
        QElapsedTimer waited;
        waited.start();
        while ((after = post(u"during"_s)).status == 503 && waited.elapsed() < 20000)
            QTest::qWait(100);
        QCOMPARE(after.status, 202);
        QCOMPARE(QJsonDocument::fromJson(after.body).object().value("duplicate"_L1).toBool(),
                 false);
        QCOMPARE(sql(u"SELECT count(*) FROM events"_s), u"2"_s);
        QVERIFY2(agent.terminate(), qPrintable(agent.output()));
    }
};

QTEST_GUILESS_MAIN(TestIngestDatabaseDown)
#include "tst_ingestdbdown.moc"
