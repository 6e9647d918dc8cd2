#include "tests/support/testsupport.h"

#include "agent/store/pgconnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryFile>
#include <QTest>
#include <QUrl>

#include <curl/curl.h>
#include <zmq.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include <csignal>
#include <mutex>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::test {

QString serverUrl()
{
    const QByteArray env = qgetenv("FERRY_DATABASE_URL");
    if (!env.isEmpty())
        return QString::fromUtf8(env);
    QFile file(QString::fromUtf8(qgetenv("FERRY_TEST_DB_DIR")) + u"/url"_s);
    if (file.open(QIODevice::ReadOnly))
        return QString::fromUtf8(file.readAll()).trimmed();
    return {};
}

namespace {

QString withDatabase(const QString &server, const QString &db)
{
    QUrl url(server);
    url.setPath(u"/"_s + db);
    return url.toString();
}

} // namespace

TestDatabase::TestDatabase(const QString &name)
    : m_name(u"ferry_test_%1_%2"_s.arg(name).arg(QCoreApplication::applicationPid()))
    , m_serverUrl(serverUrl())
{
    if (m_serverUrl.isEmpty()) {
        m_error = u"no database: set FERRY_DATABASE_URL or run the tests through ctest "
                  "(the 'db' fixture starts a private PostgreSQL)"_s;
        return;
    }
    agent::store::PgConnection db;
    if (auto r = db.open(m_serverUrl); !r) {
        m_error = r.error().message;
        return;
    }
    (void)db.exec(("DROP DATABASE IF EXISTS " + m_name.toUtf8() + " WITH (FORCE)").constData());
    if (auto r = db.exec(("CREATE DATABASE " + m_name.toUtf8()).constData()); !r) {
        m_error = r.error().message;
        return;
    }
    m_url = withDatabase(m_serverUrl, m_name);
    m_ok = true;
}

TestDatabase::~TestDatabase()
{
    if (!m_ok)
        return;
    agent::store::PgConnection db;
    if (db.open(m_serverUrl))
        (void)db.exec(("DROP DATABASE IF EXISTS " + m_name.toUtf8() + " WITH (FORCE)").constData());
}

QString TestDatabase::scalar(const QString &sql) const
{
    agent::store::PgConnection db;
    if (!db.open(m_url))
        return u"<no connection>"_s;
    auto r = db.exec(sql.toUtf8().constData());
    if (!r)
        return u"<error: %1>"_s.arg(r.error().message);
    return r->rows() > 0 && !r->isNull(0, 0) ? r->text(0, 0) : QString();
}

bool TestDatabase::exec(const QString &sql) const
{
    agent::store::PgConnection db;
    if (!db.open(m_url))
        return false;
    return db.execScript(sql.toUtf8()).ok();
}

static QString pgScript()
{
    return QStringLiteral(FERRY_SOURCE_DIR) + u"/scripts/pg-embedded.sh"_s;
}

PrivateCluster::PrivateCluster(const QString &dir)
    : m_dir(dir)
{}

PrivateCluster::~PrivateCluster()
{
    QHash<QString, QString> env;
    env.insert(u"FERRY_DATABASE_URL"_s, QString());
    run(u"bash"_s, {pgScript(), u"destroy"_s, m_dir}, env, 120000);
}

bool PrivateCluster::start(const QHash<QString, QString> &environment)
{
    QHash<QString, QString> env = environment;
    env.insert(u"FERRY_DATABASE_URL"_s, QString()); // always a private cluster
    auto r = run(u"bash"_s, {pgScript(), u"start"_s, m_dir}, env, 120000);
    if (r.exitCode != 0) {
        qWarning().noquote() << "private cluster did not start:" << r.err;
        return false;
    }
    m_url = r.out.trimmed();
    return true;
}

bool PrivateCluster::startStandby(const QString &primaryUrl)
{
    QHash<QString, QString> env;
    env.insert(u"FERRY_DATABASE_URL"_s, QString());
    auto r = run(u"bash"_s, {pgScript(), u"standby"_s, m_dir, primaryUrl}, env, 120000);
    if (r.exitCode != 0) {
        qWarning().noquote() << "standby did not start:" << r.err;
        return false;
    }
    m_url = r.out.trimmed();
    return true;
}

bool PrivateCluster::stop()
{
    QHash<QString, QString> env;
    env.insert(u"FERRY_DATABASE_URL"_s, QString());
    return run(u"bash"_s, {pgScript(), u"stop"_s, m_dir}, env, 120000).exitCode == 0;
}

bool PrivateCluster::restartImmediate()
{
    QHash<QString, QString> env;
    env.insert(u"FERRY_DATABASE_URL"_s, QString());
    return run(u"bash"_s, {pgScript(), u"restart"_s, m_dir}, env, 120000).exitCode == 0;
}

bool PrivateCluster::pause()
{
    return run(u"bash"_s, {pgScript(), u"pause"_s, m_dir}, {{u"FERRY_DATABASE_URL"_s, QString()}})
               .exitCode == 0;
}

bool PrivateCluster::resume()
{
    return run(u"bash"_s, {pgScript(), u"resume"_s, m_dir}, {{u"FERRY_DATABASE_URL"_s, QString()}})
               .exitCode == 0;
}

namespace {

// Why not "listen on port 0 and close": the kernel may return that port again (tst_chaos gave
// agent a's ZeroMQ port to agent b too), and a port in the ephemeral range can become the local
// end of an outgoing connection (libpq, libcurl) before the agent binds it. So ports come from a
// band outside that range, once per process, each reserved against other test processes
// (ctest -j) by binding an abstract unix socket named after it: the name shares the port's
// network namespace, and the kernel drops it when the process dies, even by SIGKILL.
constexpr int kBandFloor = 20000;
constexpr int kMinBandSize = 1000;
// scripts/pg-embedded.sh puts PostgreSQL clusters here, and a restarted cluster takes its old
// port back, so no test server may have it meanwhile.
constexpr int kPostgresFirst = 25432;
constexpr int kPostgresLast = 25999;

struct PortBand
{
    int first = 0;
    int last = 0;
    bool overlapsEphemeral = false;
};

PortBand portBand()
{
    int low = 32768, high = 60999; // the kernel's default
    QFile file(u"/proc/sys/net/ipv4/ip_local_port_range"_s);
    if (file.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> parts = file.readAll().simplified().split(' ');
        bool lowOk = false, highOk = false;
        const int l = parts.value(0).toInt(&lowOk), h = parts.value(1).toInt(&highOk);
        if (lowOk && highOk && l <= h) {
            low = l;
            high = h;
        }
    }
    if (low - kBandFloor >= kMinBandSize)
        return {kBandFloor, low - 1};
    if (65535 - high >= kMinBandSize)
        return {high + 1, 65535};
    // The ephemeral range leaves no room: overlap cannot be avoided, the other guarantees hold.
    return {kBandFloor, kBandFloor + 9999, true};
}

// Keeps `port` from other processes that use freePort(): the descriptor (or -1 with errno set;
// EADDRINUSE means another live process holds the port).
int reservePort(quint16 port)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray name = "ferry-test-port-" + QByteArray::number(port);
    memcpy(address.sun_path + 1, name.constData(), size_t(name.size())); // sun_path[0] = 0
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + 1 + size_t(name.size()));
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address), length) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

// Whether a server can listen on `port` at `ipv4` (host order), with SO_REUSEADDR as
// QTcpServer and ZeroMQ use it, so a TIME_WAIT left by an earlier test does not count.
bool canListen(quint16 port, quint32 ipv4)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(ipv4);
    const bool ok = ::bind(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0 &&
                    ::listen(fd, 1) == 0;
    ::close(fd);
    return ok;
}

struct PortAllocation
{
    std::mutex mutex;
    PortBand band = portBand();
    int next = 0; // offset into the band of the next port to try
    QSet<quint16> handedOut;
    std::vector<int> reservations; // held until the process exits

    PortAllocation()
    {
        const int size = band.last - band.first + 1;
        if (band.overlapsEphemeral)
            qWarning("freePort: ip_local_port_range leaves no room for test ports; using %d-%d, "
                     "which outgoing connections may take",
                     band.first, band.last);
        bool ok = false;
        const int start = qEnvironmentVariableIntValue("FERRY_TEST_PORT_START", &ok);
        if (ok && start >= band.first && start <= band.last) {
            next = start - band.first;
        } else {
            if (qEnvironmentVariableIsSet("FERRY_TEST_PORT_START"))
                qWarning("freePort: FERRY_TEST_PORT_START is not a port in %d-%d; ignored",
                         band.first, band.last);
            // Parallel test processes start far apart and rarely contend for the same port.
            next = int(QRandomGenerator::global()->bounded(quint32(size)));
        }
    }
};

} // namespace

quint16 freePort()
{
    static PortAllocation pool;
    const std::lock_guard lock(pool.mutex);
    const int size = pool.band.last - pool.band.first + 1;
    for (int i = 0; i < size; ++i, pool.next = (pool.next + 1) % size) {
        const auto port = quint16(pool.band.first + pool.next);
        if ((port >= kPostgresFirst && port <= kPostgresLast) || pool.handedOut.contains(port))
            continue;
        const int fd = reservePort(port);
        if (fd < 0) {
            if (errno == EADDRINUSE)
                continue; // another test process has it
            qWarning("freePort: cannot reserve port %d: %s", port, strerror(errno));
            return 0;
        }
        if (!canListen(port, 0x7f000001) || !canListen(port, 0)) { // 127.0.0.1, 0.0.0.0
            ::close(fd);
            continue;
        }
        pool.reservations.push_back(fd);
        pool.handedOut.insert(port);
        pool.next = (pool.next + 1) % size;
        return port;
    }
    qWarning("freePort: no free port left in %d-%d (%lld handed out by this process); the rest "
             "are held by other test processes or in use: stop stray servers (ss -ltnp)",
             pool.band.first, pool.band.last, qlonglong(pool.handedOut.size()));
    return 0;
}

namespace {

struct Transfer
{
    CURL *easy = nullptr;
    curl_slist *headers = nullptr;
    HttpResponse response;
    qsizetype index = 0;
};

size_t writeBody(char *data, size_t size, size_t n, void *user)
{
    static_cast<Transfer *>(user)->response.body.append(data, qsizetype(size * n));
    return size * n;
}

size_t writeHeader(char *data, size_t size, size_t n, void *user)
{
    const QByteArray line(data, qsizetype(size * n));
    const qsizetype colon = line.indexOf(':');
    if (colon > 0)
        static_cast<Transfer *>(user)->response.headers.insert(line.left(colon).trimmed().toLower(),
                                                               line.mid(colon + 1).trimmed());
    return size * n;
}

} // namespace

QList<HttpResponse> httpMany(const QList<HttpRequest> &requests, int parallel, long timeoutMs)
{
    QList<HttpResponse> out(requests.size());
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, long(parallel));
    std::vector<std::unique_ptr<Transfer>> active;
    qsizetype next = 0;
    int running = 0;
    const auto add = [&](qsizetype i) {
        auto t = std::make_unique<Transfer>();
        t->index = i;
        t->easy = curl_easy_init();
        const HttpRequest &r = requests[i];
        const QByteArray url = r.url.toUtf8();
        curl_easy_setopt(t->easy, CURLOPT_URL, url.constData());
        curl_easy_setopt(t->easy, CURLOPT_CUSTOMREQUEST, r.method.constData());
        if (r.method == "POST" || !r.body.isEmpty()) {
            curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, r.body.constData());
            curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(r.body.size()));
        }
        if (!r.caFile.isEmpty())
            curl_easy_setopt(t->easy, CURLOPT_CAINFO, QFile::encodeName(r.caFile).constData());
        t->headers = curl_slist_append(t->headers, "Expect:");
        for (const auto &h : r.headers)
            t->headers = curl_slist_append(t->headers, (h.first + ": " + h.second).constData());
        curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
        curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, writeBody);
        curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t.get());
        curl_easy_setopt(t->easy, CURLOPT_HEADERFUNCTION, writeHeader);
        curl_easy_setopt(t->easy, CURLOPT_HEADERDATA, t.get());
        curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, timeoutMs);
        curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t.get());
        curl_multi_add_handle(multi, t->easy);
        active.push_back(std::move(t));
    };
    while (next < requests.size() && next < parallel)
        add(next++);
    do {
        curl_multi_perform(multi, &running);
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(multi, &left)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            Transfer *t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
            if (msg->data.result == CURLE_OK) {
                long status = 0;
                curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
                t->response.status = int(status);
            } else {
                t->response.error = QString::fromUtf8(curl_easy_strerror(msg->data.result));
            }
            out[t->index] = t->response;
            curl_multi_remove_handle(multi, t->easy);
            curl_easy_cleanup(t->easy);
            curl_slist_free_all(t->headers);
            std::erase_if(active, [t](const auto &p) { return p.get() == t; });
            if (next < requests.size())
                add(next++);
        }
        if (!active.empty())
            curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    } while (!active.empty());
    curl_multi_cleanup(multi);
    return out;
}

HttpResponse http(const HttpRequest &request, long timeoutMs)
{
    return httpMany({request}, 1, timeoutMs).first();
}

Process::Process(QString program, QStringList arguments, QHash<QString, QString> environment)
    : m_program(std::move(program))
    , m_arguments(std::move(arguments))
    , m_environment(std::move(environment))
{}

Process::~Process()
{
    if (isRunning())
        kill();
}

bool Process::start()
{
    m_process = std::make_unique<QProcess>();
    auto env = QProcessEnvironment::systemEnvironment();
    for (auto it = m_environment.constBegin(); it != m_environment.constEnd(); ++it)
        env.insert(it.key(), it.value());
    m_process->setProcessEnvironment(env);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    static int counter = 0;
    m_logPath =
        QDir::temp().filePath(u"ferry-test-%1-%2-%3.log"_s.arg(QFileInfo(m_program).fileName())
                                  .arg(QCoreApplication::applicationPid())
                                  .arg(++counter));
    m_process->setStandardOutputFile(m_logPath);
    m_process->start(m_program, m_arguments);
    return m_process->waitForStarted(10000);
}

void Process::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(10000);
}

bool Process::terminate(int timeoutMs)
{
    if (!m_process)
        return false;
    m_process->terminate();
    if (!m_process->waitForFinished(timeoutMs)) {
        kill();
        return false;
    }
    return m_process->exitStatus() == QProcess::NormalExit && m_process->exitCode() == 0;
}

bool Process::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString Process::output() const
{
    QFile f(m_logPath);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

int Process::pid() const
{
    return m_process ? int(m_process->processId()) : 0;
}

RunResult run(const QString &program, const QStringList &arguments,
              const QHash<QString, QString> &environment, int timeoutMs)
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    for (auto it = environment.constBegin(); it != environment.constEnd(); ++it) {
        if (it.value().isEmpty())
            env.remove(it.key());
        else
            env.insert(it.key(), it.value());
    }
    p.setProcessEnvironment(env);
    p.start(program, arguments);
    RunResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = u"timed out"_s;
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString agentBinary()
{
    return QStringLiteral(FERRY_AGENT_BIN);
}

QString receiverBinary()
{
    return QStringLiteral(FERRY_RECEIVER_BIN);
}

QByteArray cloudEvent(const QString &id, const QString &type, const QString &data)
{
    return u"{\"specversion\":\"1.0\",\"id\":\"%1\",\"source\":\"/tests\",\"type\":\"%2\","
           "\"data\":%3}"_s.arg(id, type, data)
               .toUtf8();
}

QString createTenant(const QString &databaseUrl, const QString &name)
{
    auto r = run(agentBinary(), {u"tenant"_s, u"create"_s, name},
                 {{u"FERRY_DATABASE_URL"_s, databaseUrl}});
    if (r.exitCode != 0)
        qWarning().noquote() << "tenant create failed:" << r.err;
    return r.exitCode == 0 ? r.out.trimmed() : QString();
}

QString addEndpoint(const QString &databaseUrl, const QString &tenant, const QString &url,
                    const QString &eventType)
{
    QStringList args{u"endpoint"_s, u"add"_s, u"--tenant"_s, tenant, u"--url"_s, url};
    if (!eventType.isEmpty())
        args << u"--event-type"_s << eventType;
    // The receivers of the tests listen on loopback, which a target may lead to only when
    // allowed, as the agents of the tests allow it (agentEnvironment()).
    auto r = run(agentBinary(), args,
                 {{u"FERRY_DATABASE_URL"_s, databaseUrl},
                  {u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8"_s}});
    if (r.exitCode != 0)
        qWarning().noquote() << "endpoint add failed:" << r.err;
    return r.exitCode == 0 ? r.out.trimmed() : QString();
}

QHash<QString, QString> agentEnvironment(const QString &databaseUrl, quint16 httpPort,
                                         quint16 zmqPort)
{
    return {{u"FERRY_DATABASE_URL"_s, databaseUrl},
            {u"FERRY_HTTP_LISTEN"_s, u"127.0.0.1:%1"_s.arg(httpPort)},
            {u"FERRY_ZMQ_LISTEN"_s, u"tcp://127.0.0.1:%1"_s.arg(zmqPort ? zmqPort : freePort())},
            {u"FERRY_METRICS_LISTEN"_s, u"127.0.0.1:%1"_s.arg(freePort())},
            {u"FERRY_ZMQ_KEY_REFRESH"_s, u"300ms"_s},
            {u"FERRY_RETRY_SCHEDULE"_s, u"exponential"_s},
            {u"FERRY_WEBHOOK_ALLOWED_NETWORKS"_s, u"127.0.0.0/8"_s},
            {u"FERRY_RETRY_BASE"_s, u"50ms"_s},
            {u"FERRY_RETRY_CAP"_s, u"500ms"_s},
            {u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"25"_s},
            {u"FERRY_DISPATCH_LEASE"_s, u"4s"_s},
            {u"FERRY_DISPATCH_POLL_INTERVAL"_s, u"200ms"_s},
            {u"FERRY_WEBHOOK_TIMEOUT"_s, u"3s"_s},
            {u"FERRY_SHUTDOWN_GRACE"_s, u"1500ms"_s},
            {u"FERRY_INGEST_RETRY_AFTER"_s, u"1s"_s}};
}

void addApi(QHash<QString, QString> &environment, quint16 apiPort, const QString &certDir)
{
    environment.insert(u"FERRY_API_LISTEN"_s, u"127.0.0.1:%1"_s.arg(apiPort));
    environment.insert(u"FERRY_API_CERTIFICATE"_s, certDir + u"/api.crt"_s);
    environment.insert(u"FERRY_API_PRIVATE_KEY"_s, certDir + u"/api.key"_s);
}

ProducerCredentials addProducer(const QString &databaseUrl, const QString &tenant, quint16 zmqPort)
{
    auto r = run(agentBinary(), {u"producer"_s, u"add"_s, u"--tenant"_s, tenant},
                 {{u"FERRY_DATABASE_URL"_s, databaseUrl}});
    QTemporaryFile file;
    if (r.exitCode != 0 || !file.open()) {
        qWarning().noquote() << "producer add failed:" << r.err;
        return {};
    }
    file.write(r.out.toUtf8());
    file.flush();
    auto c = ProducerCredentials::fromFile(file.fileName());
    if (!c) {
        qWarning().noquote() << c.error().message;
        return {};
    }
    c->endpoints = {u"tcp://127.0.0.1:%1"_s.arg(zmqPort)};
    return *c;
}

ZmqClient::ZmqClient(const QString &endpoint, const ProducerCredentials &credentials)
{
    m_context = zmq_ctx_new();
    m_socket = zmq_socket(m_context, ZMQ_DEALER);
    const int zero = 0, sendTimeout = 2000, reconnect = 100;
    zmq_setsockopt(m_socket, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(m_socket, ZMQ_SNDTIMEO, &sendTimeout, sizeof sendTimeout);
    zmq_setsockopt(m_socket, ZMQ_RECONNECT_IVL, &reconnect, sizeof reconnect);
    if (!credentials.serverPublicKey.isEmpty()) {
        zmq_setsockopt(m_socket, ZMQ_CURVE_SERVERKEY, credentials.serverPublicKey.constData(), 40);
        zmq_setsockopt(m_socket, ZMQ_CURVE_PUBLICKEY, credentials.publicKey.constData(), 40);
        zmq_setsockopt(m_socket, ZMQ_CURVE_SECRETKEY, credentials.secretKey.constData(), 40);
    }
    static int counter = 0;
    const QByteArray monitorAddress = "inproc://monitor-" +
                                      QByteArray::number(QCoreApplication::applicationPid()) + "-" +
                                      QByteArray::number(++counter);
    zmq_socket_monitor(m_socket, monitorAddress.constData(), ZMQ_EVENT_ALL);
    m_monitor = zmq_socket(m_context, ZMQ_PAIR);
    zmq_setsockopt(m_monitor, ZMQ_LINGER, &zero, sizeof zero);
    zmq_connect(m_monitor, monitorAddress.constData());
    zmq_connect(m_socket, endpoint.toUtf8().constData());
}

ZmqClient::~ZmqClient()
{
    zmq_close(m_monitor);
    zmq_close(m_socket);
    zmq_ctx_term(m_context);
}

bool ZmqClient::send(const QList<QByteArray> &frames)
{
    for (qsizetype i = 0; i < frames.size(); ++i) {
        if (zmq_send(m_socket, frames[i].constData(), size_t(frames[i].size()),
                     i + 1 < frames.size() ? ZMQ_SNDMORE : 0) < 0)
            return false;
    }
    return true;
}

QList<QByteArray> ZmqClient::receive(int timeoutMs)
{
    zmq_pollitem_t item{m_socket, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, timeoutMs) <= 0)
        return {};
    QList<QByteArray> frames;
    int more = 1;
    size_t size = sizeof more;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        zmq_msg_recv(&m, m_socket, 0);
        frames.append(
            QByteArray(static_cast<const char *>(zmq_msg_data(&m)), qsizetype(zmq_msg_size(&m))));
        zmq_msg_close(&m);
        zmq_getsockopt(m_socket, ZMQ_RCVMORE, &more, &size);
    }
    return frames;
}

int ZmqClient::waitForEvent(int mask, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        zmq_pollitem_t item{m_monitor, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, 100) <= 0)
            continue;
        zmq_msg_t m;
        zmq_msg_init(&m);
        zmq_msg_recv(&m, m_monitor, 0); // event number and value
        quint16 event = 0;
        memcpy(&event, zmq_msg_data(&m), sizeof event);
        zmq_msg_close(&m);
        zmq_msg_init(&m);
        zmq_msg_recv(&m, m_monitor, 0); // address
        zmq_msg_close(&m);
        if (event & mask)
            return event;
    }
    return 0;
}

bool waitForHealthy(quint16 port, int timeoutMs, const QString &host)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        HttpRequest r;
        r.method = "GET";
        r.url = u"http://%1:%2/healthz"_s.arg(host).arg(port);
        if (http(r, 1000).status == 200)
            return true;
        QTest::qWait(100);
    }
    return false;
}

} // namespace ferry::test
