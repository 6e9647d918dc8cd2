#include "agent/jobs/jobprocess.h"

#include <QByteArrayList>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace ferry::agent::jobs {

namespace {

// What the child failed at before the command ran, sent back through a close-on-exec pipe.
enum Stage : int { Chdir = 1, Limits, Exec };

struct ChildPlan
{
    std::vector<std::string> argvStore;
    std::vector<std::string> envStore;
    std::vector<char *> argv;
    std::vector<char *> envp;
    std::string cwd;
    rlimit cpu{RLIM_INFINITY, RLIM_INFINITY};
    rlimit memory{RLIM_INFINITY, RLIM_INFINITY};
    rlimit files{1024, 1024};
};

std::vector<char *> pointers(std::vector<std::string> &strings)
{
    std::vector<char *> out;
    out.reserve(strings.size() + 1);
    for (std::string &s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

ChildPlan planFor(const LaunchSpec &spec)
{
    ChildPlan plan;
    for (const QString &a : spec.argv)
        plan.argvStore.push_back(a.toStdString());
    for (const QString &e : spec.environment)
        plan.envStore.push_back(e.toStdString());
    plan.argv = pointers(plan.argvStore);
    plan.envp = pointers(plan.envStore);
    plan.cwd = spec.workingDirectory.toStdString();
    if (spec.cpuSeconds > 0)
        plan.cpu = {rlim_t(spec.cpuSeconds), rlim_t(spec.cpuSeconds + 5)}; // SIGXCPU, then KILL
    if (spec.memoryBytes > 0)
        plan.memory = {rlim_t(spec.memoryBytes), rlim_t(spec.memoryBytes)};
    plan.files = {rlim_t(spec.openFiles), rlim_t(spec.openFiles)};
    return plan;
}

[[noreturn]] void childFail(int pipe, Stage stage)
{
    const int report[2] = {stage, errno};
    (void)!write(pipe, report, sizeof report);
    _exit(127);
}

// In the child, between fork and exec: async-signal-safe calls only.
[[noreturn]] void runChild(const ChildPlan &plan, int input, int out, int err, int report)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL); // the agent died: so does the command
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; ++sig)
        signal(sig, SIG_DFL);
    dup2(input, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (chdir(plan.cwd.c_str()) != 0)
        childFail(report, Chdir);
    if (setrlimit(RLIMIT_CPU, &plan.cpu) != 0 || setrlimit(RLIMIT_AS, &plan.memory) != 0 ||
        setrlimit(RLIMIT_NOFILE, &plan.files) != 0)
        childFail(report, Limits);
    // Everything else the agent holds stays behind (sockets, the database, the master key).
    syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    fcntl(report, F_SETFD, FD_CLOEXEC);
    execve(plan.argv[0], plan.argv.data(), plan.envp.data());
    childFail(report, Exec);
}

QString stageText(int stage, const LaunchSpec &spec)
{
    switch (stage) {
    case Chdir:
        return u"cannot enter the working directory %1"_s.arg(spec.workingDirectory);
    case Limits:
        return u"cannot set its resource limits"_s;
    default:
        return u"cannot run %1"_s.arg(spec.argv.value(0));
    }
}

int memoryFileWith(const QByteArray &bytes)
{
    const int fd = int(syscall(SYS_memfd_create, "ferry-job-event", MFD_CLOEXEC));
    if (fd < 0)
        return -1;
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n = write(fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n <= 0) {
            close(fd);
            return -1;
        }
        written += n;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

void closeFd(int &fd)
{
    if (fd >= 0)
        close(fd);
    fd = -1;
}

} // namespace

void JobProcess::becomeSubreaper()
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
}

Result<JobProcess> JobProcess::start(const LaunchSpec &spec)
{
    const ChildPlan plan = planFor(spec);
    int input = memoryFileWith(spec.input);
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    int report[2] = {-1, -1};
    if (input < 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
        pipe2(report, O_CLOEXEC) != 0) {
        const QString why = QString::fromLocal8Bit(strerror(errno));
        for (int *fd : {&input, &out[0], &out[1], &err[0], &err[1], &report[0], &report[1]})
            closeFd(*fd);
        return makeError(u"cannot prepare the command's input and output: %1"_s.arg(why));
    }
    const pid_t pid = fork();
    if (pid == 0)
        runChild(plan, input, out[1], err[1], report[1]);
    const int forkErrno = errno;
    for (int *fd : {&input, &out[1], &err[1], &report[1]})
        closeFd(*fd);
    if (pid < 0) {
        for (int *fd : {&out[0], &err[0], &report[0]})
            closeFd(*fd);
        return makeError(
            u"cannot start a process: %1"_s.arg(QString::fromLocal8Bit(strerror(forkErrno))));
    }
    setpgid(pid, pid); // also here: no signal may reach the group before it exists
    JobProcess p;
    p.m_pid = pid;
    p.m_out = out[0];
    p.m_err = err[0];
    int failure[2] = {0, 0};
    const ssize_t n = ::read(report[0], failure, sizeof failure); // EOF at exec
    closeFd(report[0]);
    if (n == ssize_t(sizeof failure)) {
        waitpid(pid, nullptr, 0);
        p.m_leaderReaped = true;
        return makeError(u"%1: %2"_s.arg(stageText(failure[0], spec),
                                         QString::fromLocal8Bit(strerror(failure[1]))));
    }
    fcntl(p.m_out, F_SETFL, O_NONBLOCK);
    fcntl(p.m_err, F_SETFL, O_NONBLOCK);
    p.m_pidfd = int(syscall(SYS_pidfd_open, pid, 0));
    return p;
}

JobProcess::JobProcess(JobProcess &&other) noexcept
{
    *this = std::move(other);
}

JobProcess &JobProcess::operator=(JobProcess &&other) noexcept
{
    if (this != &other) {
        closeAll();
        m_pid = std::exchange(other.m_pid, -1);
        m_out = std::exchange(other.m_out, -1);
        m_err = std::exchange(other.m_err, -1);
        m_pidfd = std::exchange(other.m_pidfd, -1);
        m_leaderReaped = std::exchange(other.m_leaderReaped, true);
    }
    return *this;
}

JobProcess::~JobProcess()
{
    if (m_pid > 0 && !m_leaderReaped) {
        signal(SIGKILL);
        waitpid(m_pid, nullptr, 0);
    }
    closeAll();
}

void JobProcess::closeAll()
{
    closeFd(m_out);
    closeFd(m_err);
    closeFd(m_pidfd);
}

void JobProcess::closeOutput()
{
    closeFd(m_out);
    closeFd(m_err);
}

bool JobProcess::read(int fd, QByteArray &into)
{
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            into.append(buffer, n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return true;
        closeFd(fd == m_out ? m_out : m_err); // end of file, or an error
        return false;
    }
}

bool JobProcess::exited(int *status) const
{
    siginfo_t info{};
    if (m_leaderReaped || waitid(P_PID, id_t(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 ||
        info.si_pid == 0)
        return false;
    *status = info.si_code == CLD_EXITED ? info.si_status : -info.si_status;
    return true;
}

void JobProcess::signal(int sig) const
{
    if (m_pid > 0)
        kill(-m_pid, sig);
}

bool JobProcess::reap()
{
    if (m_pid <= 0)
        return true;
    signal(SIGKILL);
    for (pid_t gone = 0; (gone = waitpid(-m_pid, nullptr, WNOHANG)) > 0;) {
        if (gone == m_pid)
            m_leaderReaped = true;
    }
    if (!m_leaderReaped && waitpid(m_pid, nullptr, WNOHANG) < 0 && errno == ECHILD)
        m_leaderReaped = true;
    if (!m_leaderReaped)
        return false;
    return kill(-m_pid, 0) != 0 && errno == ESRCH;
}

} // namespace ferry::agent::jobs
