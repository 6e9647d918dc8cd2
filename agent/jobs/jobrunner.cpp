#include "agent/jobs/jobrunner.h"

#include "agent/app/logging.h"
#include "agent/jobs/jobprocess.h"
#include "agent/jobs/outputcapture.h"
#include "agent/metrics/agentmetrics.h"
#include "agent/store/jobs/jobstore.h"
#include "agent/store/pgconnection.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>

#include <csignal>
#include <optional>
#include <poll.h>
#include <ranges>
#include <sys/eventfd.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace ferry::agent::jobs {

namespace {

constexpr qint64 kHeartbeatMs = 5'000;
constexpr qint64 kReapGiveUpMs = 10'000;

qint64 nowMs()
{
    return QDeadlineTimer::current().deadline();
}

enum Ending { None, Timeout, Cancel, Abandon };

QString durationText(qint64 ms)
{
    return ms % 1000 == 0 ? u"%1 s"_s.arg(ms / 1000) : u"%1 ms"_s.arg(ms);
}

// The last non-empty line the command printed, for the attempt's error.
QString lastLine(const QString &output)
{
    const auto lines = QStringView(output).split(u'\n', Qt::SkipEmptyParts);
    for (qsizetype i = lines.size() - 1; i >= 0; --i) {
        const auto line = lines[i].trimmed();
        if (!line.isEmpty() && !line.startsWith(u"progress "))
            return line.left(300).toString();
    }
    return {};
}

QString signalText(int sig)
{
    switch (sig) {
    case SIGXCPU:
        return u"SIGXCPU: its CPU time limit"_s;
    case SIGKILL:
        return u"SIGKILL"_s;
    case SIGSEGV:
        return u"SIGSEGV"_s;
    case SIGABRT:
        return u"SIGABRT"_s;
    default:
        return QString::number(sig);
    }
}

} // namespace

struct JobRunner::Running
{
    JobRequest request;
    Done done;
    std::optional<JobProcess> process;
    OutputCapture output{65'536};
    qint64 deadline = 0;
    qint64 killAt = -1;
    int ending = None;
    QString cancelledBy;
    std::optional<int> status; // the leader's exit code, or minus its signal
    qint64 exitedAt = -1;
    std::optional<Progress> progress;
    bool progressDirty = false;
    QString scratch;       // removed after the run
    bool recorded = false; // its row in `jobs` exists
};

JobRunner::JobRunner(Options options, ExecCommands commands)
    : m_options(std::move(options))
    , m_commands(std::move(commands))
    , m_db(std::make_unique<store::PgConnection>())
{}

JobRunner::~JobRunner()
{
    stop();
}

void JobRunner::start()
{
    if (m_thread.joinable())
        return;
    JobProcess::becomeSubreaper();
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    m_stopping = false;
    m_thread = std::thread([this] { loop(); });
}

void JobRunner::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    wakeUp();
    m_thread.join();
    close(m_wakeFd);
    m_wakeFd = -1;
}

void JobRunner::wakeUp() const
{
    const quint64 one = 1;
    if (m_wakeFd >= 0)
        (void)!write(m_wakeFd, &one, sizeof one);
}

void JobRunner::run(JobRequest request, Done done)
{
    {
        std::lock_guard lock(m_mutex);
        m_requests.append({std::move(request), std::move(done)});
    }
    wakeUp();
}

void JobRunner::abandon(const QUuid &deliveryId)
{
    {
        std::lock_guard lock(m_mutex);
        m_abandoned.append(deliveryId);
    }
    wakeUp();
}

void JobRunner::loop()
{
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                break;
        }
        takeRequests();
        pollOnce();
        const qint64 now = nowMs();
        const auto running = m_running.values();
        for (const auto &job : running)
            service(*job, now);
        if (now >= m_nextSyncAt)
            sync(now);
    }
    killRemaining();
    m_db->close();
}

// At the stop: what still runs was released by its dispatcher (it runs again later). Kill it,
// leave nothing behind, and say in its row that it was lost.
void JobRunner::killRemaining()
{
    const qint64 giveUp = nowMs() + 2'000;
    for (const auto &job : std::as_const(m_running)) {
        while (!job->process->reap() && nowMs() < giveUp)
            usleep(10'000);
        if (!job->scratch.isEmpty())
            QDir(job->scratch).removeRecursively();
        if (connected())
            (void)store::JobStore(*m_db).finish(job->request.deliveryId, job->request.attempt,
                                                u"lost"_s, -1);
        const QByteArray command = job->request.command.name.toUtf8();
        metrics::AgentMetrics::instance().jobsRunning.add({command}, -1);
        metrics::AgentMetrics::instance().jobsFinished.inc({command, "lost"});
    }
    m_running.clear();
}

void JobRunner::takeRequests()
{
    QList<std::pair<JobRequest, Done>> requests;
    QList<QUuid> abandoned;
    {
        std::lock_guard lock(m_mutex);
        requests.swap(m_requests);
        abandoned.swap(m_abandoned);
    }
    for (auto &[request, done] : requests)
        launch(std::move(request), std::move(done));
    const qint64 now = nowMs();
    for (const QUuid &id : std::as_const(abandoned)) {
        if (const auto job = m_running.value(id)) {
            terminate(*job, Abandon, now);
            job->process->signal(SIGKILL);
        }
    }
}

void JobRunner::launch(JobRequest request, Done done)
{
    auto job = std::make_shared<Running>();
    job->request = std::move(request);
    job->done = std::move(done);
    job->output = OutputCapture(job->request.command.outputLimit);
    job->deadline = nowMs() + job->request.command.timeoutMs;
    startProcess(*job);
    if (job->process)
        m_running.insert(job->request.deliveryId, job);
}

void JobRunner::startProcess(Running &job)
{
    const JobRequest &r = job.request;
    const auto notStarted = [&](const QString &why) {
        finish(job, {JobResult::Kind::Retry, -1, why, u"exec_start"_s, {}});
    };
    if (!connected())
        return notStarted(u"the job could not be recorded: PostgreSQL is unreachable"_s);
    store::JobStore store(*m_db);
    auto tenant = store.begin(r.deliveryId, r.attempt, r.tenantId, r.endpointId, r.command.name,
                              m_options.agentId);
    if (!tenant)
        return notStarted(u"the job could not be recorded: "_s + tenant.error().message);
    job.recorded = true;
    if (!r.command.allowsTenant(*tenant))
        return finish(job, {JobResult::Kind::Failed,
                            -1,
                            u"command '%1' is not allowed for tenant '%2' (its \"tenants\" "
                            "setting on this agent)"_s.arg(r.command.name, *tenant),
                            u"exec_command"_s,
                            {}});
    LaunchSpec spec;
    spec.argv = r.command.argv;
    spec.workingDirectory = r.command.workingDirectory;
    if (spec.workingDirectory.isEmpty()) {
        job.scratch =
            QDir(m_options.scratchDirectory)
                .filePath(
                    u"%1-%2"_s.arg(r.deliveryId.toString(QUuid::WithoutBraces)).arg(r.attempt));
        if (!QDir().mkpath(job.scratch))
            return notStarted(
                u"cannot create the job's directory %1 (exec.scratch_dir)"_s.arg(job.scratch));
        QFile::setPermissions(job.scratch, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        spec.workingDirectory = job.scratch;
    }
    spec.environment = {u"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"_s,
                        u"LANG=C.UTF-8"_s, u"HOME="_s + spec.workingDirectory};
    for (auto it = r.command.environment.cbegin(); it != r.command.environment.cend(); ++it)
        spec.environment.append(it.key() + u'=' + it.value());
    spec.environment += {u"FERRY_DELIVERY_ID="_s + r.deliveryId.toString(QUuid::WithoutBraces),
                         u"FERRY_ATTEMPT="_s + QString::number(r.attempt),
                         u"FERRY_TENANT="_s + *tenant,
                         u"FERRY_TENANT_ID="_s + QString::number(r.tenantId),
                         u"FERRY_EVENT_ID="_s + r.eventId.toString(QUuid::WithoutBraces),
                         u"FERRY_EVENT_TYPE="_s + r.eventType,
                         u"FERRY_COMMAND="_s + r.command.name};
    spec.cpuSeconds = r.command.cpuSeconds;
    spec.memoryBytes = r.command.memoryBytes;
    spec.openFiles = r.command.openFiles;
    spec.input = r.payload;
    auto process = JobProcess::start(spec);
    if (!process)
        return notStarted(process.error().message);
    job.process.emplace(std::move(*process));
    metrics::AgentMetrics::instance().jobsRunning.add({r.command.name.toUtf8()}, 1);
    (void)store.setPid(r.deliveryId, r.attempt, job.process->pid());
    qCInfo(lcDispatch).noquote() << "job" << r.command.name << "started for delivery"
                                 << r.deliveryId.toString(QUuid::WithoutBraces) << "attempt"
                                 << r.attempt << "pid" << job.process->pid();
}

void JobRunner::pollOnce()
{
    std::vector<pollfd> fds{{m_wakeFd, POLLIN, 0}};
    qint64 wait = std::max<qint64>(0, m_nextSyncAt - nowMs());
    for (const auto &job : std::as_const(m_running)) {
        for (int fd : {job->process->stdoutFd(), job->process->stderrFd()}) {
            if (fd >= 0)
                fds.push_back({fd, POLLIN, 0});
        }
        if (job->process->exitFd() >= 0 && !job->status)
            fds.push_back({job->process->exitFd(), POLLIN, 0});
        else
            wait = std::min<qint64>(wait, 20); // no pidfd, or reaping what is left
        wait = std::min(wait, std::max<qint64>(0, job->deadline - nowMs()));
        if (job->killAt >= 0)
            wait = std::min(wait, std::max<qint64>(0, job->killAt - nowMs()));
    }
    ::poll(fds.data(), fds.size(), int(std::clamp<qint64>(wait, 0, 500)));
    quint64 drained = 0;
    (void)!read(m_wakeFd, &drained, sizeof drained);
    readOutputs();
}

// What the commands printed since the last look, and the progress lines among it.
void JobRunner::readOutputs()
{
    for (const auto &job : std::as_const(m_running)) {
        for (const bool out : {true, false}) {
            const int fd = out ? job->process->stdoutFd() : job->process->stderrFd();
            QByteArray chunk;
            if (fd >= 0)
                job->process->read(fd, chunk);
            if (chunk.isEmpty())
                continue;
            if (auto p = job->output.append(chunk, out)) {
                job->progress = p;
                job->progressDirty = true;
            }
        }
    }
}

void JobRunner::service(Running &job, qint64 now)
{
    int status = 0;
    if (!job.status && job.process->exited(&status)) {
        job.status = status;
        job.exitedAt = now;
    }
    if (!job.status && job.ending == None && now >= job.deadline)
        terminate(job, Timeout, now);
    if (!job.status && job.killAt >= 0 && now >= job.killAt) {
        job.process->signal(SIGKILL);
        job.killAt = -1;
    }
    finishIfDone(job, now);
}

// The leader exited: the rest of its group is killed, and once every member is collected (or
// after kReapGiveUpMs) the run is over.
bool JobRunner::finishIfDone(Running &job, qint64 now)
{
    if (!job.status)
        return false;
    const bool gone = job.process->reap();
    if (!gone && now - job.exitedAt < kReapGiveUpMs)
        return false;
    if (!gone)
        qCWarning(lcDispatch).noquote()
            << "job" << job.request.command.name << "left processes that could not be collected";
    for (int fd : {job.process->stdoutFd(), job.process->stderrFd()}) {
        QByteArray rest;
        if (fd >= 0)
            job.process->read(fd, rest);
        if (!rest.isEmpty())
            job.output.append(rest, fd == job.process->stdoutFd());
    }
    job.process->closeOutput();
    const auto keep = m_running.value(job.request.deliveryId); // finish() removes it
    finish(job, resultOf(job));
    return true;
}

JobResult JobRunner::resultOf(const Running &job)
{
    using K = JobResult::Kind;
    const ExecCommand &c = job.request.command;
    JobResult r;
    r.output = job.output.text();
    const int status = job.status.value_or(-SIGKILL);
    r.exitCode = status >= 0 ? status : 128 - status;
    const QString last = lastLine(r.output);
    const QString said = last.isEmpty() ? QString() : u": "_s + last;
    if (job.ending == Cancel) {
        r = {K::Cancelled, r.exitCode,
             u"cancelled by %1 while running: its process group was terminated"_s.arg(
                 job.cancelledBy.isEmpty() ? u"an operator"_s : job.cancelledBy),
             u"cancelled"_s, r.output};
    } else if (job.ending == Timeout) {
        r = {K::Retry, r.exitCode,
             u"ran longer than its timeout of %1: its process group was terminated"_s.arg(
                 durationText(c.timeoutMs)),
             u"timeout"_s, r.output};
    } else if (status == 0) {
        r.kind = K::Succeeded;
    } else if (status == 75) {
        r = {K::Retry, 75, u"exited with code 75 (EX_TEMPFAIL): try again later"_s + said,
             u"tempfail"_s, r.output};
    } else if (status < 0) {
        r = {K::Failed, r.exitCode, u"killed by signal %1"_s.arg(signalText(-status)) + said,
             u"signal"_s, r.output};
    } else {
        r = {K::Failed, status, u"exited with code %1"_s.arg(status) + said, u"exit_code"_s,
             r.output};
    }
    return r;
}

void JobRunner::finish(Running &job, const JobResult &result)
{
    using K = JobResult::Kind;
    const JobRequest &r = job.request;
    QString state = u"failed"_s;
    if (job.ending == Abandon)
        state = u"lost"_s;
    else if (result.kind == K::Succeeded)
        state = u"succeeded"_s;
    else if (result.kind == K::Cancelled)
        state = u"cancelled"_s;
    else if (result.kind == K::Retry)
        state = result.reason == "timeout"_L1 ? u"timed_out"_s : u"retrying"_s;
    if (job.process) {
        auto &m = metrics::AgentMetrics::instance();
        m.jobsRunning.add({r.command.name.toUtf8()}, -1);
        m.jobsFinished.inc({r.command.name.toUtf8(), state.toUtf8()});
    }
    if (job.recorded && connected()) {
        if (job.progressDirty)
            sync(nowMs());
        auto f = store::JobStore(*m_db).finish(r.deliveryId, r.attempt, state, result.exitCode);
        if (!f)
            qCWarning(lcDispatch).noquote()
                << "job: recording its end failed:" << f.error().message;
    }
    if (!job.scratch.isEmpty())
        QDir(job.scratch).removeRecursively();
    if (job.ending != Abandon && job.done)
        job.done(r.deliveryId, result);
    m_running.remove(r.deliveryId);
}

void JobRunner::terminate(Running &job, int ending, qint64 now)
{
    job.ending = ending;
    job.process->signal(SIGTERM);
    job.killAt = now + job.request.command.killGraceMs;
}

void JobRunner::sync(qint64 now)
{
    m_nextSyncAt = now + m_options.syncMs;
    if (m_running.isEmpty() || !connected())
        return;
    store::JobStore store(*m_db);
    QList<store::JobProgress> progress;
    for (const auto &job : std::as_const(m_running)) {
        if (job->progressDirty && job->progress)
            progress.append({job->request.deliveryId, job->request.attempt, job->progress->percent,
                             job->progress->message});
    }
    if (!progress.isEmpty() || now >= m_nextHeartbeatAt) {
        if (auto s = store.sync(progress, m_options.agentId); !s) {
            qCWarning(lcDispatch).noquote() << "job progress:" << s.error().message;
            return;
        }
        for (const auto &job : std::as_const(m_running))
            job->progressDirty = false;
        m_nextHeartbeatAt = now + kHeartbeatMs;
    }
    auto cancels = store.cancelRequests(m_options.agentId);
    if (!cancels)
        return;
    for (const auto &[id, by] : *cancels) {
        const auto job = m_running.value(id);
        if (job && job->ending == None && !job->status) {
            job->cancelledBy = by;
            terminate(*job, Cancel, now);
            qCInfo(lcDispatch).noquote()
                << "job" << job->request.command.name << "of delivery"
                << id.toString(QUuid::WithoutBraces) << "cancelled by" << by;
        }
    }
}

bool JobRunner::connected()
{
    if (m_db->isOpen() && !m_db->isBroken())
        return true;
    m_db->close();
    auto opened = m_db->open(m_options.databaseUrl, m_options.connectTimeoutSeconds);
    const QString error = opened ? QString() : opened.error().message;
    if (!error.isEmpty() && error != m_lastConnectError) // once per outage, not per backoff step
        qCWarning(lcDispatch).noquote() << "jobs:" << error;
    m_lastConnectError = error;
    return bool(opened);
}

} // namespace ferry::agent::jobs
