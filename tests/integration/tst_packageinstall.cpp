// The ferry-agent package installed on this machine for real (dpkg -i, its postinst, the ferry
// user): the installed binaries run as the ferry user with the installed configuration, check
// it, migrate the test database and deliver an event to a real HTTP receiver. Where systemd
// runs, `systemctl start ferry-agent` starts it instead. An upgrade keeps the operator's edits of
// agent.conf; an agent older than the database's schema refuses to start and says why. The
// package is purged at the end. Needs root; the debs come from tst_package (fixture "debs").
#include "tests/support/recordingserver.h"
#include "tests/support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

const QString kAgent = u"/usr/bin/ferry-agent"_s;
const QString kConfig = u"/etc/ferry/agent.conf"_s;
const QString kMasterKey = u"/etc/credstore/ferry-master-key"_s;

QString packagesDir()
{
    return QStringLiteral(FERRY_BUILD_DIR) + u"/packages"_s;
}

QString onlyFile(const QString &dir, const QString &pattern)
{
    const QStringList found = QDir(dir).entryList({pattern}, QDir::Files);
    return found.size() == 1 ? dir + u'/' + found.first() : QString();
}

QString modeOf(const QString &path)
{
    return test::run(u"stat"_s, {u"-c"_s, u"%U:%G %a"_s, path}).out.trimmed();
}

// The installed agent as the service runs it: the ferry user, the installed configuration; the
// environment points it at the test database and free ports.
test::RunResult asFerry(const QStringList &arguments, const QHash<QString, QString> &env)
{
    return test::run(
        u"setpriv"_s,
        QStringList{u"--reuid=ferry"_s, u"--regid=ferry"_s, u"--init-groups"_s, kAgent} + arguments,
        env);
}

} // namespace

class TestPackageInstall : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::TestDatabase> m_db;
    QHash<QString, QString> m_env;
    quint16 m_port = 0;

    bool systemdRuns() const { return QFileInfo::exists(u"/run/systemd/system"_s); }

private Q_SLOTS:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: installs the package on this machine");
        QVERIFY2(!onlyFile(packagesDir(), u"ferry-agent_*.deb"_s).isEmpty(),
                 "no ferry-agent package: tst_package builds it (fixture debs)");
        QVERIFY2(test::run(u"dpkg-query"_s, {u"-W"_s, u"-f=${Status}"_s, u"ferry-agent"_s})
                         .out.contains(u"installed"_s) == false,
                 "ferry-agent is installed on this machine; this test installs and purges its "
                 "own: remove it first (dpkg --purge ferry-agent)");
        QVERIFY2(!QFile::exists(kMasterKey), "a master key from another installation is in "
                                             "/etc/credstore; move it away first");
        m_db = std::make_unique<test::TestDatabase>(u"packageinstall"_s);
        QVERIFY2(m_db->ok(), qPrintable(m_db->error()));
        m_port = test::freePort();
        m_env = test::agentEnvironment(m_db->url(), m_port);
    }

    void installs()
    {
        const auto r = test::run(
            u"dpkg"_s, {u"-i"_s, onlyFile(packagesDir(), u"ferry-agent_*.deb"_s)}, {}, 120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2((r.out + r.err).contains(u"check-config"_s), qPrintable(r.out)); // next steps
        QVERIFY(::getpwnam("ferry") != nullptr);
        QCOMPARE(modeOf(u"/etc/ferry"_s), u"root:ferry 750"_s);
        QCOMPARE(modeOf(kConfig), u"root:ferry 640"_s);
        QCOMPARE(modeOf(kMasterKey), u"root:root 600"_s);
        QCOMPARE(modeOf(u"/var/lib/ferry"_s), u"ferry:ferry 750"_s);
        // The installed unit, with its binary and man page in place now.
        const auto verify = test::run(u"systemd-analyze"_s,
                                      {u"verify"_s, u"/lib/systemd/system/ferry-agent.service"_s});
        QVERIFY2(verify.exitCode == 0 && (verify.out + verify.err).trimmed().isEmpty(),
                 qPrintable(verify.out + verify.err));
        QVERIFY(test::run(u"man"_s, {u"-w"_s, u"ferry-agent"_s}).out.contains(u"man8"_s));
    }

    void runsVersionCheckConfigAndMigrate()
    {
        auto r = test::run(kAgent, {u"version"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(
                     u"ferry-agent %1 (schema version"_s.arg(QStringLiteral(FERRY_VERSION))),
                 qPrintable(r.out));
        // The packaged file as it is, with the test database: what `check-config` reads by
        // default, as the service user.
        r = asFerry({u"check-config"_s}, {{u"FERRY_DATABASE_URL"_s, m_db->url()}});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(u"checking /etc/ferry/agent.conf with FERRY_DATABASE_URL"_s),
                 qPrintable(r.out));
        // A certificate made as root says how to let the service read its key.
        QTemporaryDir certs;
        r = test::run(kAgent, {u"cert"_s, u"generate"_s, u"--out"_s, certs.path()});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"chgrp ferry %1/api.key && chmod 640"_s.arg(certs.path())),
                 qPrintable(r.out));
        r = asFerry({u"migrate"_s, u"--config"_s, kConfig},
                    {{u"FERRY_DATABASE_URL"_s, m_db->url()}});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"applied 0001_initial.sql"_s), qPrintable(r.out));
    }

    void deliversAnEvent()
    {
        test::RecordingServer receiver;
        QVERIFY(receiver.start());
        const auto tenant =
            asFerry({u"tenant"_s, u"create"_s, u"shop"_s, u"--config"_s, kConfig}, m_env);
        QVERIFY2(tenant.exitCode == 0, qPrintable(tenant.err));
        const auto endpoint =
            asFerry({u"endpoint"_s, u"add"_s, u"--tenant"_s, u"shop"_s, u"--url"_s,
                     receiver.url(u"/hooks"_s), u"--config"_s, kConfig},
                    m_env);
        QVERIFY2(endpoint.exitCode == 0, qPrintable(endpoint.err));

        std::unique_ptr<test::Process> agent;
        if (systemdRuns()) {
            QVERIFY(writeDropIn());
            QCOMPARE(test::run(u"systemctl"_s, {u"daemon-reload"_s}).exitCode, 0);
            const auto started = test::run(u"systemctl"_s, {u"start"_s, u"ferry-agent"_s});
            QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        } else {
            agent = std::make_unique<test::Process>(
                u"setpriv"_s,
                QStringList{u"--reuid=ferry"_s, u"--regid=ferry"_s, u"--init-groups"_s, kAgent,
                            u"run"_s, u"--config"_s, kConfig},
                m_env);
            QVERIFY(agent->start());
        }
        QVERIFY2(test::waitForHealthy(m_port), agent ? qPrintable(agent->output()) : "");

        test::HttpRequest post;
        post.url = u"http://127.0.0.1:%1/v1/events"_s.arg(m_port);
        post.headers = {{"Authorization", "Bearer " + tenant.out.trimmed().toUtf8()},
                        {"Content-Type", "application/cloudevents+json"}};
        post.body = test::cloudEvent(u"installed-1"_s);
        QCOMPARE(test::http(post).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.received().size(), 1, 20000);
        QVERIFY(receiver.received().first().body.contains("installed-1"));

        if (agent) {
            QVERIFY2(agent->terminate(), qPrintable(agent->output()));
        } else {
            QCOMPARE(test::run(u"systemctl"_s, {u"stop"_s, u"ferry-agent"_s}).exitCode, 0);
        }
    }

    void upgradeKeepsTheOperatorsEdits()
    {
        QFile conf(kConfig);
        QVERIFY(conf.open(QIODevice::Append));
        conf.write("\n[retry]\nmax_attempts = 7\n");
        conf.close();
        const QString upgrade = onlyFile(packagesDir() + u"/upgrade"_s, u"ferry-agent_*.deb"_s);
        QVERIFY(!upgrade.isEmpty());
        const auto r = test::run(u"dpkg"_s, {u"-i"_s, upgrade}, {}, 120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(u"upgraded from %1"_s.arg(QStringLiteral(FERRY_VERSION))),
                 qPrintable(r.out));
        QVERIFY(test::run(u"dpkg-query"_s, {u"-W"_s, u"-f=${Version}"_s, u"ferry-agent"_s})
                    .out.endsWith(u"+upgrade1"_s));
        QVERIFY(conf.open(QIODevice::ReadOnly));
        QVERIFY(conf.readAll().endsWith("max_attempts = 7\n"));
        QCOMPARE(modeOf(kConfig), u"root:ferry 640"_s);
        const auto config = asFerry({u"config"_s, u"--config"_s, kConfig}, {});
        QVERIFY2(config.out.contains(u"retry.max_attempts = 7    # /etc/ferry/agent.conf"_s),
                 qPrintable(config.out));
    }

    void refusesADatabaseANewerAgentMigrated()
    {
        QVERIFY(m_db->exec(u"INSERT INTO schema_migrations (version, name, checksum) "
                           "VALUES (9999, '9999_future.sql', 'x')"_s));
        const auto r = asFerry({u"run"_s, u"--config"_s, kConfig}, m_env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"newer than this ferry-agent"_s) &&
                     r.err.contains(u"install a ferry-agent at least as new"_s),
                 qPrintable(r.err));
    }

    void cleanupTestCase()
    {
        if (::geteuid() != 0)
            return;
        const auto r = test::run(u"dpkg"_s, {u"--purge"_s, u"ferry-agent"_s}, {}, 120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(!QFile::exists(kAgent));
        QVERIFY(!QFile::exists(kConfig));
        // Purge keeps the master key (a database's sealed secrets need it); this machine is a
        // test machine, so the test removes it.
        QVERIFY(QFile::exists(kMasterKey));
        QVERIFY(QFile::remove(kMasterKey));
    }

private:
    // Where systemd runs: the test database and ports for the installed unit.
    bool writeDropIn() const
    {
        QDir().mkpath(u"/run/systemd/system/ferry-agent.service.d"_s);
        QFile dropIn(u"/run/systemd/system/ferry-agent.service.d/test.conf"_s);
        if (!dropIn.open(QIODevice::WriteOnly))
            return false;
        dropIn.write("[Service]\n");
        for (auto it = m_env.cbegin(); it != m_env.cend(); ++it)
            dropIn.write(u"Environment=\"%1=%2\"\n"_s.arg(it.key(), it.value()).toUtf8());
        return true;
    }
};

QTEST_GUILESS_MAIN(TestPackageInstall)
#include "tst_packageinstall.moc"
