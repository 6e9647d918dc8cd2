// The exec channel's building blocks: command files parse with defaults and with errors that
// name the file and the setting; a command line is never relative; output is kept within its
// bound (head and tail, with a line saying how much was left out) as valid text; progress lines
// are found across chunk boundaries and nowhere else (standard error, malformed percentages).
#include "agent/jobs/execcommand.h"
#include "agent/jobs/outputcapture.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry::agent::jobs;
using namespace Qt::StringLiterals;

class TestExecCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesEverySetting();
    void defaults();
    void rejects_data();
    void rejects();
    void loadsADirectory();
    void tenantsRestrictACommand();
    void progressLines_data();
    void progressLines();
    void progressAcrossChunks();
    void captureKeepsHeadAndTail();
    void captureIsValidText();
};

void TestExecCommand::parsesEverySetting()
{
    auto c = ExecCommands::parse(
        u"nightly-export"_s,
        R"({"command": ["/usr/local/bin/export", "--format", "csv"], "description": "Invoices",
            "working_directory": "/srv/exports", "environment": {"EXPORT_DIR": "/srv/out"},
            "tenants": ["acme"], "timeout": "2h", "kill_grace": "10s", "cpu_time": "30m",
            "memory": "512M", "open_files": 256, "output_limit": "128K"})",
        u"nightly-export.json"_s);
    QVERIFY2(c, qPrintable(c ? QString() : c.error().message));
    QCOMPARE(c->argv, (QStringList{u"/usr/local/bin/export"_s, u"--format"_s, u"csv"_s}));
    QCOMPARE(c->workingDirectory, u"/srv/exports"_s);
    QCOMPARE(c->environment.value(u"EXPORT_DIR"_s), u"/srv/out"_s);
    QCOMPARE(c->timeoutMs, 2 * 3'600'000LL);
    QCOMPARE(c->killGraceMs, 10'000LL);
    QCOMPARE(c->cpuSeconds, 1800LL);
    QCOMPARE(c->memoryBytes, 512LL << 20);
    QCOMPARE(c->openFiles, 256LL);
    QCOMPARE(c->outputLimit, 128LL << 10);
    QCOMPARE(c->description, u"Invoices"_s);
}

void TestExecCommand::defaults()
{
    auto c = ExecCommands::parse(u"sync"_s, R"({"command": ["/bin/true"]})", u"sync.json"_s);
    QVERIFY(c);
    QCOMPARE(c->timeoutMs, 600'000LL);
    QCOMPARE(c->killGraceMs, 5'000LL);
    QCOMPARE(c->cpuSeconds, 0LL);
    QCOMPARE(c->memoryBytes, 0LL);
    QCOMPARE(c->openFiles, 1024LL);
    QCOMPARE(c->outputLimit, 65'536LL);
    QVERIFY(c->workingDirectory.isEmpty());
    QVERIFY(c->allowsTenant(u"anyone"_s));
}

void TestExecCommand::rejects_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("says");
    QTest::newRow("not json") << u"a"_s << QByteArray("{") << u"not a JSON object"_s;
    QTest::newRow("no command") << u"a"_s << QByteArray("{}") << u"\"command\" is required"_s;
    QTest::newRow("relative") << u"a"_s << QByteArray(R"({"command": ["export.sh"]})")
                              << u"absolute path"_s;
    QTest::newRow("string command")
        << u"a"_s << QByteArray(R"({"command": "/bin/sh -c x"})") << u"array of strings"_s;
    QTest::newRow("unknown key") << u"a"_s
                                 << QByteArray(R"({"command": ["/bin/true"], "user": "root"})")
                                 << u"\"user\" is not a command setting"_s;
    QTest::newRow("bad timeout") << u"a"_s
                                 << QByteArray(R"({"command": ["/bin/true"], "timeout": "soon"})")
                                 << u"\"timeout\" must be a duration"_s;
    QTest::newRow("short timeout")
        << u"a"_s << QByteArray(R"({"command": ["/bin/true"], "timeout": "10ms"})")
        << u"at least 1s"_s;
    QTest::newRow("bad memory") << u"a"_s
                                << QByteArray(R"({"command": ["/bin/true"], "memory": "lots"})")
                                << u"\"memory\" must be a size"_s;
    QTest::newRow("few files") << u"a"_s
                               << QByteArray(R"({"command": ["/bin/true"], "open_files": 3})")
                               << u"\"open_files\" must be a number from 16"_s;
    QTest::newRow("env overrides ferry")
        << u"a"_s
        << QByteArray(R"({"command": ["/bin/true"], "environment": {"FERRY_TENANT": "x"}})")
        << u"not starting with FERRY_"_s;
    QTest::newRow("relative dir")
        << u"a"_s << QByteArray(R"({"command": ["/bin/true"], "working_directory": "tmp"})")
        << u"\"working_directory\" must be an absolute path"_s;
    QTest::newRow("bad name") << u"Nightly Export"_s << QByteArray(R"({"command": ["/bin/true"]})")
                              << u"not a valid command name"_s;
}

void TestExecCommand::rejects()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, json);
    QFETCH(QString, says);
    auto c = ExecCommands::parse(name, json, u"/etc/ferry/jobs.d/x.json"_s);
    QVERIFY(!c);
    QVERIFY2(c.error().message.contains(says), qPrintable(c.error().message));
    QVERIFY2(c.error().message.startsWith(u"/etc/ferry/jobs.d/x.json: "_s),
             qPrintable(c.error().message));
}

void TestExecCommand::loadsADirectory()
{
    QTemporaryDir dir;
    const auto write = [&](const QString &file, const QByteArray &text) {
        QFile f(dir.filePath(file));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
    };
    write(u"export.json"_s, R"({"command": ["/bin/true"]})");
    write(u"sync.json"_s, R"({"command": ["/bin/false"]})");
    write(u"README"_s, "not a command");
    auto loaded = ExecCommands::load(dir.path());
    QVERIFY(loaded);
    QCOMPARE(loaded->names(), (QStringList{u"export"_s, u"sync"_s}));
    QCOMPARE(loaded->find(u"sync"_s)->argv, QStringList{u"/bin/false"_s});
    QVERIFY(!loaded->find(u"README"_s));

    write(u"broken.json"_s, R"({"command": ["relative"]})");
    auto refused = ExecCommands::load(dir.path());
    QVERIFY(!refused);
    QVERIFY2(refused.error().message.contains(u"broken.json"_s),
             qPrintable(refused.error().message));

    auto none = ExecCommands::load(dir.filePath(u"missing"_s));
    QVERIFY(none);
    QVERIFY(none->isEmpty());
}

void TestExecCommand::tenantsRestrictACommand()
{
    auto c = ExecCommands::parse(u"x"_s, R"({"command": ["/bin/true"], "tenants": ["acme"]})",
                                 u"x.json"_s);
    QVERIFY(c);
    QVERIFY(c->allowsTenant(u"acme"_s));
    QVERIFY(!c->allowsTenant(u"globex"_s));
}

void TestExecCommand::progressLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("percent"); // -1: not a progress line
    QTest::addColumn<QString>("message");
    QTest::newRow("with message") << QByteArray("progress 40 exporting invoices") << 40
                                  << u"exporting invoices"_s;
    QTest::newRow("percent sign") << QByteArray("progress 75% nearly") << 75 << u"nearly"_s;
    QTest::newRow("bare") << QByteArray("progress 100") << 100 << QString();
    QTest::newRow("trailing space") << QByteArray("progress 5 a  ") << 5 << u"a"_s;
    QTest::newRow("over 100") << QByteArray("progress 140 too much") << -1 << QString();
    QTest::newRow("not at start") << QByteArray("note: progress 40") << -1 << QString();
    QTest::newRow("no number") << QByteArray("progress report follows") << -1 << QString();
    QTest::newRow("negative") << QByteArray("progress -3") << -1 << QString();
}

void TestExecCommand::progressLines()
{
    QFETCH(QByteArray, line);
    QFETCH(int, percent);
    QFETCH(QString, message);
    const auto p = Progress::parseLine(line);
    QCOMPARE(p.has_value(), percent >= 0);
    if (p) {
        QCOMPARE(p->percent, percent);
        QCOMPARE(p->message, message);
    }
}

void TestExecCommand::progressAcrossChunks()
{
    OutputCapture capture(65'536);
    QVERIFY(!capture.append("starting\nprogr", true));
    QVERIFY(!capture.append("ess 30 lo", true)); // the line is not finished yet
    auto p = capture.append("ading\nprogress 60 writing\nprogress 70 x", true);
    QVERIFY(p);
    QCOMPARE(p->percent, 60); // the last finished line; "progress 70 x" is not finished
    QCOMPARE(p->message, u"writing"_s);
    QVERIFY(!capture.append("progress 90 on stderr\n", false));
    p = capture.append("\n", true);
    QVERIFY(p);
    QCOMPARE(p->percent, 70);
}

void TestExecCommand::captureKeepsHeadAndTail()
{
    constexpr qint64 kLimit = 4096;
    OutputCapture capture(kLimit);
    capture.append("BEGIN\n", true);
    for (int i = 0; i < 1000; ++i)
        capture.append(QByteArray(1000, 'x') + '\n', i % 2 == 0);
    capture.append("END\n", false);
    const QString text = capture.text();
    QCOMPARE(capture.total(), 6 + 1000 * 1001 + 4);
    QVERIFY(text.startsWith(u"BEGIN\n"_s));
    QVERIFY(text.endsWith(u"END\n"_s));
    const qint64 left = capture.total() - kLimit;
    QVERIFY2(text.contains(u"[… %1 bytes of output left out …]"_s.arg(left)), qPrintable(text));
    QVERIFY(text.toUtf8().size() <= kLimit + 64); // the bound, plus the line about the cut

    OutputCapture small(kLimit);
    small.append("just this\n", true);
    QCOMPARE(small.text(), u"just this\n"_s);
}

void TestExecCommand::captureIsValidText()
{
    OutputCapture capture(1024);
    capture.append(QByteArray("a\0b\xff\xfe c", 8), true);
    const QString text = capture.text();
    QVERIFY(!text.contains(QChar(0)));
    QVERIFY(text.startsWith(u"ab"_s));
    QVERIFY(text.contains(QChar(0xFFFD)));
}

QTEST_GUILESS_MAIN(TestExecCommand)
#include "tst_execcommand.moc"
