// The exec channel through a real agent: routes run commands the administrator configured
// (never a command line from the API), with the event on standard input, the delivery, attempt
// and tenant in a clean environment (nothing of the agent's own), their limits and a working
// directory. Exit 0 delivers; 75 is retried with the route's backoff; 1 is dead-lettered with
// the command's last line as the error; a command that outlives its timeout has its whole
// process group killed, SIGTERM-proof children included, and nothing is left running; output is
// kept within its bound; progress lines show through the API while the job runs (for longer than
// its lease, which is extended); and an operator's cancel stops a running job, whose delivery is
// dead-lettered as cancelled.
#include "tests/support/testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

// True when no process `pid` exists any more (the agent reaped it).
bool processGone(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

class TestExec : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    std::unique_ptr<test::Process> m_agent;
    QTemporaryDir m_dir;
    quint16 m_httpPort = 0;
    quint16 m_apiPort = 0;
    quint16 m_metricsPort = 0;
    QByteArray m_admin;
    QByteArray m_token;
    QHash<QString, QString> m_env;

    QHash<QString, QString> env() const { return {{u"FERRY_DATABASE_URL"_s, m_db->url()}}; }

    test::HttpResponse api(const QByteArray &method, const QString &path,
                           const QByteArray &body = {})
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(m_apiPort).arg(path);
        r.caFile = m_dir.filePath(u"api.crt"_s);
        r.body = body;
        r.headers = {{"Authorization", "Bearer " + m_admin}, {"Content-Type", "application/json"}};
        return test::http(r, 10000);
    }

    QJsonObject apiJson(const QString &path)
    {
        return QJsonDocument::fromJson(api("GET", path).body).object();
    }

    void writeCommand(const QString &name, const QJsonObject &settings)
    {
        QFile f(m_dir.filePath(u"jobs.d/%1.json"_s.arg(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(settings).toJson());
    }

    static QJsonObject shell(const QString &script, QJsonObject more = {})
    {
        more.insert(u"command"_s, QJsonArray{u"/bin/sh"_s, u"-c"_s, script});
        return more;
    }

    QString workDir(const QString &name) const { return m_dir.filePath(u"work/"_s + name); }

    void addRoute(const QString &command, const QString &type, const QJsonObject &more = {})
    {
        QJsonObject body{{u"tenant"_s, u"ops"_s},
                         {u"channel"_s, u"exec"_s},
                         {u"target"_s, command},
                         {u"event_types"_s, QJsonArray{type}}};
        for (auto it = more.begin(); it != more.end(); ++it)
            body.insert(it.key(), it.value());
        const auto r = api("POST", u"/v1/routes"_s, QJsonDocument(body).toJson());
        QVERIFY2(r.status == 201, r.body.constData());
    }

    // Publishes an event of `type`; returns its delivery's id.
    QString publish(const QString &id, const QString &type)
    {
        test::HttpRequest r;
        r.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_httpPort);
        r.body = test::cloudEvent(id, type, u"{\"order\":\"ord_%1\"}"_s.arg(id));
        r.headers = {{"Authorization", "Bearer " + m_token},
                     {"Content-Type", "application/cloudevents+json"}};
        if (test::http(r).status != 202)
            return {};
        return m_db->scalar(u"SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id "
                            "WHERE e.ce_id = '%1'"_s.arg(id));
    }

    QString deliveryState(const QString &delivery) const
    {
        return m_db->scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(delivery));
    }

    bool waitForState(const QString &delivery, const QString &state, int timeoutMs = 30000)
    {
        QElapsedTimer clock;
        clock.start();
        while (deliveryState(delivery) != state && clock.elapsed() < timeoutMs)
            QTest::qWait(50);
        return deliveryState(delivery) == state;
    }

    // The trace's attempt log (GET /v1/deliveries/{id}).
    QJsonArray attempts(const QString &delivery)
    {
        return apiJson(u"/v1/deliveries/"_s + delivery).value("attempt_log"_L1).toArray();
    }

    QJsonObject job(const QString &delivery)
    {
        return apiJson(u"/v1/tenants/ops/jobs/"_s + delivery);
    }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void runsWithTheEventAndACleanEnvironment();
    void tempfailIsRetriedWithBackoff();
    void failureIsDeadLettered();
    void timeoutKillsTheProcessGroup();
    void outputIsKeptWithinItsBound();
    void progressShowsThroughTheApi();
    void cancelStopsARunningJob();
    void routesNameOnlyConfiguredCommands();
    void agentKilledMidJob();
};

void TestExec::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_db = std::make_unique<test::TestDatabase>(u"exec"_s);
    QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
    QCOMPARE(test::run(test::agentBinary(), {u"migrate"_s}, env()).exitCode, 0);
    m_token = test::createTenant(m_db->url(), u"ops"_s).toUtf8();
    QVERIFY(m_token.startsWith("fpt_"));
    QCOMPARE(
        test::run(test::agentBinary(), {u"cert"_s, u"generate"_s, u"--out"_s, m_dir.path()}, env())
            .exitCode,
        0);
    m_admin =
        test::run(test::agentBinary(), {u"token"_s, u"create"_s, u"--role"_s, u"admin"_s}, env())
            .out.trimmed()
            .toUtf8();
    QVERIFY(!m_admin.isEmpty());
    for (const QString &d : {u"jobs.d"_s, u"scratch"_s, u"work/tempfail"_s, u"work/hang"_s,
                             u"work/slow"_s, u"work/forever"_s, u"work/resumable"_s})
        QVERIFY(QDir(m_dir.path()).mkpath(d));
    writeCommand(u"report"_s,
                 shell(u"cat > event.json; echo \"tenant=$FERRY_TENANT attempt=$FERRY_ATTEMPT "
                       "delivery=$FERRY_DELIVERY_ID type=$FERRY_EVENT_TYPE\"; echo \"cwd=$(pwd)\"; "
                       "echo \"files=$(ulimit -n) cpu=$(ulimit -t) mem=$(ulimit -v)\"; "
                       "echo \"region=$REGION agentdb=${FERRY_DATABASE_URL:-none}\"; "
                       "cat event.json; echo"_s,
                       {{u"open_files"_s, 64},
                        {u"cpu_time"_s, u"30s"_s},
                        {u"memory"_s, u"1G"_s},
                        {u"environment"_s, QJsonObject{{u"REGION"_s, u"eu"_s}}}}));
    writeCommand(u"tempfail"_s,
                 shell(u"n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; "
                       "[ $n -ge 3 ] && { echo done after $n; exit 0; }; "
                       "echo \"partner busy ($n)\" >&2; exit 75"_s,
                       {{u"working_directory"_s, workDir(u"tempfail"_s)}}));
    writeCommand(u"fail"_s, shell(u"echo starting; echo 'invoice 42 is malformed' >&2; exit 1"_s));
    writeCommand(u"hang"_s, shell(u"(trap '' TERM; sleep 300) & echo $! > child.pid; trap '' TERM; "
                                  "sleep 300"_s,
                                  {{u"working_directory"_s, workDir(u"hang"_s)},
                                   {u"timeout"_s, u"2s"_s},
                                   {u"kill_grace"_s, u"1s"_s}}));
    writeCommand(u"chatty"_s,
                 shell(u"i=0; while [ $i -lt 20000 ]; do echo \"line $i of a long export\"; "
                       "i=$((i+1)); done; echo LAST"_s,
                       {{u"output_limit"_s, u"4K"_s}}));
    writeCommand(u"slow"_s,
                 shell(u"echo progress 40 exporting invoices; while [ ! -e release ]; do "
                       "sleep 0.05; done; echo progress 90 finishing; echo exported"_s,
                       {{u"working_directory"_s, workDir(u"slow"_s)}}));
    writeCommand(u"forever"_s,
                 shell(u"echo progress 10 waiting; sleep 300 & echo $! > child.pid; wait"_s,
                       {{u"working_directory"_s, workDir(u"forever"_s)}}));
    writeCommand(u"resumable"_s,
                 shell(u"echo $$ > pid.$FERRY_ATTEMPT; echo progress 5 started; "
                       "while [ ! -e release ]; do sleep 0.05; done; echo done at $FERRY_ATTEMPT"_s,
                       {{u"working_directory"_s, workDir(u"resumable"_s)}}));
    m_httpPort = test::freePort();
    m_apiPort = test::freePort();
    m_metricsPort = test::freePort();
    auto &e = m_env;
    e = test::agentEnvironment(m_db->url(), m_httpPort);
    e.insert(u"FERRY_METRICS_LISTEN"_s, u"127.0.0.1:%1"_s.arg(m_metricsPort));
    test::addApi(e, m_apiPort, m_dir.path());
    e.insert(u"FERRY_EXEC_COMMANDS_DIR"_s, m_dir.filePath(u"jobs.d"_s));
    e.insert(u"FERRY_EXEC_SCRATCH_DIR"_s, m_dir.filePath(u"scratch"_s));
    e.insert(u"FERRY_DISPATCH_LEASE"_s, u"2s"_s);  // the slow job outlives it: it is extended
    e.insert(u"FERRY_WEBHOOK_TIMEOUT"_s, u"1s"_s); // shorter than the lease, as it must be
    m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, e);
    QVERIFY(m_agent->start());
    QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(m_agent->output()));
    const QJsonObject once{{u"max_attempts"_s, 1}};
    addRoute(u"report"_s, u"report.requested"_s);
    addRoute(u"tempfail"_s, u"crm.sync"_s,
             {{u"retry"_s, QJsonObject{{u"schedule"_s, u"0s,1s,2s"_s}}}, {u"max_attempts"_s, 5}});
    addRoute(u"fail"_s, u"invoice.import"_s, once);
    addRoute(u"hang"_s, u"partner.sync"_s, once);
    addRoute(u"chatty"_s, u"export.all"_s);
    addRoute(u"slow"_s, u"export.invoices"_s);
    addRoute(u"forever"_s, u"export.forever"_s, once);
    addRoute(u"resumable"_s, u"import.large"_s);
}

void TestExec::cleanupTestCase()
{
    if (m_agent)
        QVERIFY2(m_agent->terminate(), qPrintable(m_agent->output()));
}

void TestExec::runsWithTheEventAndACleanEnvironment()
{
    const QString delivery = publish(u"rep-1"_s, u"report.requested"_s);
    QVERIFY(!delivery.isEmpty());
    QVERIFY2(waitForState(delivery, u"succeeded"_s), qPrintable(m_agent->output()));
    const QJsonArray tries = attempts(delivery);
    QCOMPARE(tries.size(), 1);
    const QString output = tries[0].toObject().value("output"_L1).toString();
    QVERIFY2(
        output.contains(u"tenant=ops attempt=1 delivery=%1 type=report.requested"_s.arg(delivery)),
        qPrintable(output));
    QVERIFY2(output.contains(u"files=64 cpu=30 mem=1048576"_s), qPrintable(output));
    QVERIFY2(output.contains(u"region=eu agentdb=none"_s), qPrintable(output));
    QVERIFY2(output.contains(u"\"order\":\"ord_rep-1\""_s), qPrintable(output)); // stdin
    const QString cwd =
        QRegularExpression(u"cwd=(\\S+)"_s).match(output).captured(1); // a fresh directory …
    QVERIFY2(cwd.startsWith(m_dir.filePath(u"scratch/"_s)), qPrintable(output));
    QVERIFY(!QFileInfo::exists(cwd)); // … removed after the run
    QCOMPARE(job(delivery).value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(job(delivery).value("exit_code"_L1).toInt(), 0);
}

void TestExec::tempfailIsRetriedWithBackoff()
{
    const QString delivery = publish(u"crm-1"_s, u"crm.sync"_s);
    QVERIFY(!delivery.isEmpty());
    QVERIFY2(waitForState(delivery, u"succeeded"_s), qPrintable(m_agent->output()));
    const QJsonArray tries = attempts(delivery);
    QCOMPARE(tries.size(), 3);
    QStringList outcomes;
    for (const auto &t : tries)
        outcomes << t.toObject().value("outcome"_L1).toString();
    QCOMPARE(outcomes, (QStringList{u"retryable"_s, u"retryable"_s, u"succeeded"_s}));
    const QJsonObject first = tries[0].toObject();
    QVERIFY2(first.value("error"_L1).toString().contains(u"EX_TEMPFAIL"_s) &&
                 first.value("error"_L1).toString().contains(u"partner busy (1)"_s),
             qPrintable(first.value("error"_L1).toString()));
    // The route's schedule: the second attempt waited at least 1 s, the third at least 2 s.
    const auto started = [&](int i) {
        return QDateTime::fromString(tries[i].toObject().value("started_at"_L1).toString(),
                                     Qt::ISODate);
    };
    QVERIFY(started(0).secsTo(started(1)) >= 1);
    QVERIFY(started(1).secsTo(started(2)) >= 2);
    QVERIFY(tries[2].toObject().value("output"_L1).toString().contains(u"done after 3"_s));
}

void TestExec::failureIsDeadLettered()
{
    const QString delivery = publish(u"imp-1"_s, u"invoice.import"_s);
    QVERIFY(!delivery.isEmpty());
    QVERIFY2(waitForState(delivery, u"dead"_s), qPrintable(m_agent->output()));
    QCOMPARE(m_db->scalar(u"SELECT dead_reason FROM deliveries WHERE id = '%1'"_s.arg(delivery)),
             u"exit_code"_s);
    const QJsonArray dlq = apiJson(u"/v1/dlq?tenant=ops"_s).value("items"_L1).toArray();
    QJsonObject entry;
    for (const auto &item : dlq) {
        if (item.toObject().value("id"_L1).toString() == delivery)
            entry = item.toObject();
    }
    QVERIFY2(!entry.isEmpty(), "the dead job is in the dead-letter queue");
    const QJsonArray tries = attempts(delivery);
    QCOMPARE(tries.size(), 1);
    QCOMPARE(tries[0].toObject().value("outcome"_L1).toString(), u"permanent"_s);
    QCOMPARE(tries[0].toObject().value("error"_L1).toString(),
             u"exited with code 1: invoice 42 is malformed"_s);
    QCOMPARE(job(delivery).value("state"_L1).toString(), u"failed"_s);
    QCOMPARE(job(delivery).value("exit_code"_L1).toInt(), 1);
}

void TestExec::timeoutKillsTheProcessGroup()
{
    const QString delivery = publish(u"hang-1"_s, u"partner.sync"_s);
    QVERIFY(!delivery.isEmpty());
    QFile pidFile(workDir(u"hang/child.pid"_s));
    QTRY_VERIFY_WITH_TIMEOUT(pidFile.exists() && pidFile.size() > 0, 20000);
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const qint64 child = pidFile.readAll().trimmed().toLongLong();
    QVERIFY(child > 0);
    QTRY_VERIFY_WITH_TIMEOUT(job(delivery).value("pid"_L1).toInteger() > 0, 10000);
    const qint64 leader = job(delivery).value("pid"_L1).toInteger();
    QVERIFY(!processGone(child) && !processGone(leader));
    QVERIFY2(waitForState(delivery, u"dead"_s), qPrintable(m_agent->output()));
    QCOMPARE(m_db->scalar(u"SELECT dead_reason FROM deliveries WHERE id = '%1'"_s.arg(delivery)),
             u"timeout"_s);
    QVERIFY(attempts(delivery)[0]
                .toObject()
                .value("error"_L1)
                .toString()
                .contains(u"ran longer than its timeout of 2 s"_s));
    // Both ignored SIGTERM; SIGKILL after the grace took the whole group, and the agent
    // collected them: no orphan, no zombie.
    QVERIFY(processGone(leader));
    QVERIFY(processGone(child));
    QCOMPARE(job(delivery).value("state"_L1).toString(), u"timed_out"_s);
}

void TestExec::outputIsKeptWithinItsBound()
{
    const QString delivery = publish(u"chat-1"_s, u"export.all"_s);
    QVERIFY(!delivery.isEmpty());
    QVERIFY2(waitForState(delivery, u"succeeded"_s), qPrintable(m_agent->output()));
    const QString output = attempts(delivery)[0].toObject().value("output"_L1).toString();
    QVERIFY2(output.toUtf8().size() <= 4096 + 64, qPrintable(QString::number(output.size())));
    QVERIFY(output.startsWith(u"line 0 of a long export\n"_s));
    QVERIFY(output.endsWith(u"LAST\n"_s));
    QVERIFY2(output.contains(u"bytes of output left out"_s), qPrintable(output));
}

void TestExec::progressShowsThroughTheApi()
{
    const QString delivery = publish(u"exp-1"_s, u"export.invoices"_s);
    QVERIFY(!delivery.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(job(delivery).value("progress"_L1).toInt(-1), 40, 20000);
    QJsonObject running = job(delivery);
    QCOMPARE(running.value("state"_L1).toString(), u"running"_s);
    QCOMPARE(running.value("progress_message"_L1).toString(), u"exporting invoices"_s);
    QCOMPARE(running.value("command"_L1).toString(), u"slow"_s);
    const QJsonArray listed =
        apiJson(u"/v1/tenants/ops/jobs?state=running"_s).value("items"_L1).toArray();
    QVERIFY(std::any_of(listed.begin(), listed.end(), [&](const QJsonValue &v) {
        return v.toObject().value("delivery_id"_L1).toString() == delivery;
    }));
    // Running for longer than two leases: its lease is extended, nobody takes it over.
    QTRY_VERIFY_WITH_TIMEOUT(m_db->scalar(u"SELECT now() - started_at > interval '5 s' FROM jobs "
                                          "WHERE delivery_id = '%1'"_s.arg(delivery)) == "t"_L1,
                             20000);
    QFile release(workDir(u"slow/release"_s));
    QVERIFY(release.open(QIODevice::WriteOnly));
    release.close();
    QVERIFY2(waitForState(delivery, u"succeeded"_s), qPrintable(m_agent->output()));
    QCOMPARE(job(delivery).value("state"_L1).toString(), u"succeeded"_s);
    QCOMPARE(job(delivery).value("progress"_L1).toInt(), 100);
    QCOMPARE(attempts(delivery).size(), 1);
    QCOMPARE(m_db->scalar(u"SELECT count(*) FROM jobs WHERE delivery_id = '%1'"_s.arg(delivery)),
             u"1"_s);
}

void TestExec::cancelStopsARunningJob()
{
    const QString delivery = publish(u"for-1"_s, u"export.forever"_s);
    QVERIFY(!delivery.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(job(delivery).value("progress"_L1).toInt(-1), 10, 20000);
    QFile pidFile(workDir(u"forever/child.pid"_s));
    QTRY_VERIFY_WITH_TIMEOUT(pidFile.exists() && pidFile.size() > 0, 10000);
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const qint64 child = pidFile.readAll().trimmed().toLongLong();
    QVERIFY(!processGone(child));

    const auto cancelled = api("POST", u"/v1/tenants/ops/jobs/%1/cancel"_s.arg(delivery));
    QCOMPARE(cancelled.status, 202);
    QVERIFY2(waitForState(delivery, u"dead"_s), qPrintable(m_agent->output()));
    QCOMPARE(m_db->scalar(u"SELECT dead_reason FROM deliveries WHERE id = '%1'"_s.arg(delivery)),
             u"cancelled"_s);
    const QJsonObject attempt = attempts(delivery)[0].toObject();
    QCOMPARE(attempt.value("outcome"_L1).toString(), u"cancelled"_s);
    QVERIFY(attempt.value("error"_L1).toString().startsWith(u"cancelled by "_s));
    const QJsonObject j = job(delivery);
    QCOMPARE(j.value("state"_L1).toString(), u"cancelled"_s);
    QVERIFY(!j.value("cancel_requested_by"_L1).toString().isEmpty());
    QVERIFY(processGone(child));
    QCOMPARE(m_db->scalar(u"SELECT count(*) FROM audit_log WHERE action = 'job.cancel'"_s), u"1"_s);
    test::HttpRequest scrape;
    scrape.method = "GET";
    scrape.url = u"http://127.0.0.1:%1/metrics"_s.arg(m_metricsPort);
    const QByteArray metrics = test::http(scrape).body;
    QVERIFY2(
        metrics.contains("ferry_jobs_finished_total{command=\"forever\",state=\"cancelled\"} 1"),
        metrics.constData());
    QVERIFY(metrics.contains("ferry_jobs_running{command=\"forever\"} 0"));
    QVERIFY(metrics.contains(
        "ferry_delivery_attempts_total{channel=\"exec\",outcome=\"cancelled\"} 1"));
    // Only a running job can be cancelled; an unknown one is not found.
    QCOMPARE(api("POST", u"/v1/tenants/ops/jobs/%1/cancel"_s.arg(delivery)).status, 409);
    QCOMPARE(api("POST", u"/v1/tenants/ops/jobs/%1/cancel"_s.arg(
                             QUuid::createUuid().toString(QUuid::WithoutBraces)))
                 .status,
             404);
    QCOMPARE(api("GET", u"/v1/tenants/ops/jobs/%1"_s.arg(
                            QUuid::createUuid().toString(QUuid::WithoutBraces)))
                 .status,
             404);
}

void TestExec::routesNameOnlyConfiguredCommands()
{
    const QJsonObject body{
        {u"tenant"_s, u"ops"_s}, {u"channel"_s, u"exec"_s}, {u"target"_s, u"rm-everything"_s}};
    const auto r = api("POST", u"/v1/routes"_s, QJsonDocument(body).toJson());
    QCOMPARE(r.status, 422);
    QVERIFY2(r.body.contains("no command 'rm-everything' is configured on this agent"),
             r.body.constData());
    QVERIFY2(r.body.contains("chatty, fail, forever, hang, report, resumable, slow, tempfail"),
             r.body.constData());
    const QJsonObject line{{u"tenant"_s, u"ops"_s},
                           {u"channel"_s, u"exec"_s},
                           {u"target"_s, u"/bin/sh -c 'rm -rf /'"_s}};
    QCOMPARE(api("POST", u"/v1/routes"_s, QJsonDocument(line).toJson()).status, 422);
}

// kill -9 of the agent while a job runs: the kernel ends the command with it (no orphan), and
// once the lease has run out the restarted agent runs the delivery again; the first run's row
// says it was lost, and the delivery succeeds once.
void TestExec::agentKilledMidJob()
{
    const QString delivery = publish(u"imp-large-1"_s, u"import.large"_s);
    QVERIFY(!delivery.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(job(delivery).value("progress"_L1).toInt(-1), 5, 20000);
    QFile firstPid(workDir(u"resumable/pid.1"_s));
    QVERIFY(firstPid.open(QIODevice::ReadOnly));
    const qint64 first = firstPid.readAll().trimmed().toLongLong();
    QVERIFY(!processGone(first));
    m_agent->kill();
    QTRY_VERIFY_WITH_TIMEOUT(processGone(first), 10000);

    m_agent = std::make_unique<test::Process>(test::agentBinary(), QStringList{u"run"_s}, m_env);
    QVERIFY(m_agent->start());
    QVERIFY2(test::waitForHealthy(m_httpPort), qPrintable(m_agent->output()));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(workDir(u"resumable/pid.2"_s)), 30000);
    QFile release(workDir(u"resumable/release"_s));
    QVERIFY(release.open(QIODevice::WriteOnly));
    release.close();
    QVERIFY2(waitForState(delivery, u"succeeded"_s), qPrintable(m_agent->output()));
    QCOMPARE(m_db->scalar(u"SELECT string_agg(attempt || ':' || state, ' ' ORDER BY attempt) "
                          "FROM jobs WHERE delivery_id = '%1'"_s.arg(delivery)),
             u"1:lost 2:succeeded"_s);
    const QJsonArray tries = attempts(delivery);
    QCOMPARE(tries.size(), 2);
    QCOMPARE(tries[0].toObject().value("outcome"_L1).toString(), u"lease_expired"_s);
    QVERIFY(tries[1].toObject().value("output"_L1).toString().contains(u"done at 2"_s));
}

QTEST_GUILESS_MAIN(TestExec)
#include "tst_exec.moc"
