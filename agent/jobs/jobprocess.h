#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace ferry::agent::jobs {

struct ExecCommand;

// How one run of a command starts: its argv, environment and directory, the limits it runs
// under, and what it reads on its standard input.
struct LaunchSpec
{
    QStringList argv;
    QStringList environment; // NAME=value; nothing of the agent's own environment is passed on
    QString workingDirectory;
    qint64 cpuSeconds = 0;
    qint64 memoryBytes = 0;
    qint64 openFiles = 1024;
    QByteArray input;
};

// A running command: a process leading a process group of its own, with its standard output
// and error readable through non-blocking pipes. The agent is a child subreaper, so whatever
// the command leaves behind stays in reach: signal() reaches the whole group, and reap()
// collects every member of it.
class JobProcess
{
public:
    // Makes the calling process a subreaper for the commands it starts (once, at start).
    static void becomeSubreaper();

    static Result<JobProcess> start(const LaunchSpec &spec);
    JobProcess(JobProcess &&other) noexcept;
    JobProcess &operator=(JobProcess &&other) noexcept;
    JobProcess(const JobProcess &) = delete;
    JobProcess &operator=(const JobProcess &) = delete;
    ~JobProcess();

    pid_t pid() const { return m_pid; }
    int stdoutFd() const { return m_out; }
    int stderrFd() const { return m_err; }
    int exitFd() const { return m_pidfd; } // readable once the leader exited; -1: poll exited()
    // Reads what is there; closes the pipe at end of file. Returns false once it is closed.
    bool read(int fd, QByteArray &into);
    void closeOutput();
    // True once the leader exited: its exit code (or minus the signal that killed it) is in
    // `status`. The leader
    // stays a zombie (keeping the group id taken) until reap().
    bool exited(int *status) const;
    // Sends `sig` to the whole process group.
    void signal(int sig) const;
    // Kills what is left of the group and collects every member that is gone; true when none
    // is left.
    bool reap();

private:
    JobProcess() = default;
    void closeAll();

    pid_t m_pid = -1;
    int m_out = -1;
    int m_err = -1;
    int m_pidfd = -1;
    bool m_leaderReaped = false;
};

} // namespace ferry::agent::jobs
