#include "demo/childprocess.h"

#include "demo/terminal.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::demo {

bool ChildProcess::running()
{
    return m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(0);
}

Result<void> ChildProcess::start(const QString &program, const QStringList &arguments,
                                 const QProcessEnvironment &environment, const QString &logPath,
                                 bool logStdout)
{
    m_logPath = QFileInfo(logPath).absoluteFilePath();
    QFile::remove(m_logPath);
    m_process.setStandardErrorFile(m_logPath, QIODevice::Append);
    if (logStdout)
        m_process.setStandardOutputFile(m_logPath, QIODevice::Append);
    m_process.setProcessEnvironment(environment);
    const pid_t parent = ::getpid();
    m_process.setChildProcessModifier([parent] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(1);
    });
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(10'000))
        return makeError(u"cannot start %1: %2"_s.arg(program, m_process.errorString()));
    m_started = true;
    return {};
}

int ChildProcess::stop(int timeoutMs)
{
    if (!running())
        return exitCode();
    const int interruptsBefore = interrupts();
    m_process.terminate();
    QElapsedTimer clock;
    clock.start();
    while (!m_process.waitForFinished(100)) {
        if (clock.elapsed() > timeoutMs || interrupts() > std::max(1, interruptsBefore)) {
            out() << "  " << m_name << " did not stop; killing it" << Qt::endl;
            m_process.kill();
            m_process.waitForFinished(5000);
            return -1;
        }
    }
    return exitCode();
}

int ChildProcess::exitCode() const
{
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QString ChildProcess::deathNotice()
{
    if (!m_started || running())
        return {};
    const QString how = m_process.exitStatus() == QProcess::CrashExit
                            ? u"was killed by signal %1"_s.arg(m_process.exitCode())
                            : u"exited unexpectedly (exit code %1)"_s.arg(m_process.exitCode());
    return u"%1 %2; the end of its log (%3):\n%4"_s.arg(m_name, how, m_logPath, logTail(15));
}

QString ChildProcess::logTail(int lines) const
{
    QFile file(m_logPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList all = QString::fromUtf8(file.readAll()).trimmed().split(u'\n');
    return u"    "_s + all.mid(std::max<qsizetype>(0, all.size() - lines)).join(u"\n    "_s);
}

} // namespace ferry::demo
