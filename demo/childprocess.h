#pragma once

#include "shared/result.h"

#include <QProcess>
#include <QString>
#include <QStringList>

namespace ferry::demo {

// A child program that is always stopped: on destruction, on Ctrl-C, and (through the parent
// death signal) even when ferry-demo itself is killed. It runs in its own process group so a
// Ctrl-C reaches only ferry-demo, which then stops the children in order.
class ChildProcess
{
public:
    explicit ChildProcess(QString name)
        : m_name(std::move(name))
    {}
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    QProcess &process() { return m_process; }
    QString logPath() const { return m_logPath; }
    bool started() const { return m_started; }

    // Without an event loop QProcess learns of an exit only inside a waitFor call: poll.
    bool running();

    // stderr (and with `logStdout` stdout too) goes to `logPath`, which starts empty.
    Result<void> start(const QString &program, const QStringList &arguments,
                       const QProcessEnvironment &environment, const QString &logPath,
                       bool logStdout);

    // SIGTERM, then waits (a second Ctrl-C or the timeout turns it into SIGKILL). Returns the
    // exit code, or -1 if it had to be killed or crashed.
    int stop(int timeoutMs = 30'000);

    // Why the child is not running, with the end of its log; empty while it runs.
    QString deathNotice();

    // The last `lines` lines of its log, indented.
    QString logTail(int lines) const;

private:
    int exitCode() const;

    QString m_name;
    QString m_logPath;
    QProcess m_process;
    bool m_started = false;
};

} // namespace ferry::demo
