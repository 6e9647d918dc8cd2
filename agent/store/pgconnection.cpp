#include "agent/store/pgconnection.h"

#include "agent/app/logging.h"
#include "shared/backoff.h"

#include <libpq-fe.h>

#include <QDeadlineTimer>
#include <QRandomGenerator>

#include <mutex>
#include <vector>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// The server process ids of the process's open sessions (PgConnection::openSessionPids()).
std::mutex g_sessionsMutex;
QList<int> g_sessionPids;

Error notConnected()
{
    Error e;
    e.message = u"not connected to PostgreSQL"_s;
    e.connectionLost = true;
    return e;
}

} // namespace

PgResult::PgResult(pg_result *result)
    : m_result(result)
{}

PgResult::~PgResult()
{
    if (m_result)
        PQclear(m_result);
}

PgResult::PgResult(PgResult &&other) noexcept
    : m_result(std::exchange(other.m_result, nullptr))
{}

PgResult &PgResult::operator=(PgResult &&other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

int PgResult::rows() const
{
    return m_result ? PQntuples(m_result) : 0;
}

bool PgResult::isNull(int row, int column) const
{
    return PQgetisnull(m_result, row, column) == 1;
}

QByteArray PgResult::bytes(int row, int column) const
{
    return {PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column)};
}

QString PgResult::text(int row, int column) const
{
    return QString::fromUtf8(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

qint64 PgResult::int64(int row, int column) const
{
    return QByteArrayView(PQgetvalue(m_result, row, column)).toLongLong();
}

double PgResult::real(int row, int column) const
{
    return QByteArrayView(PQgetvalue(m_result, row, column)).toDouble();
}

bool PgResult::boolean(int row, int column) const
{
    return PQgetvalue(m_result, row, column)[0] == 't';
}

QByteArray PgResult::bytea(int row, int column) const
{
    QByteArray raw = bytes(row, column);
    if (raw.startsWith("\\x"))
        return QByteArray::fromHex(raw.mid(2));
    return raw;
}

QDateTime PgResult::timestamp(int row, int column) const
{
    if (isNull(row, column))
        return {};
    // "2026-11-27 07:14:03.123456+00" → ISO 8601
    QString text = this->text(row, column);
    text.replace(10, 1, u'T');
    if (text.size() >= 3 && (text[text.size() - 3] == u'+' || text[text.size() - 3] == u'-'))
        text += u":00"_s;
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) // more than millisecond precision: drop the extra digits
        t = QDateTime::fromString(text.remove(23, text.indexOf(u'+', 19) - 23), Qt::ISODateWithMs);
    return t.toUTC();
}

qint64 PgResult::affectedRows() const
{
    return QByteArrayView(PQcmdTuples(m_result)).toLongLong();
}

PgConnection::PgConnection() = default;

PgConnection::~PgConnection()
{
    close();
}

qint64 PgConnection::msUntilReconnect() const
{
    return std::max<qint64>(0, m_reconnectAtMs - QDeadlineTimer::current().deadline());
}

Result<void> PgConnection::open(const QString &url, int connectTimeoutSeconds)
{
    close();
    if (m_backoff && m_failedOpens > 0 && msUntilReconnect() > 0)
        return m_lastOpenError;
    auto opened = connect(url, connectTimeoutSeconds);
    if (opened) {
        m_failedOpens = 0;
        return opened;
    }
    // Half the ceiling fixed, half drawn: never a burst of immediate retries, never in step.
    const BackoffPolicy policy{std::chrono::milliseconds(100),
                               std::chrono::milliseconds(kReconnectCapMs)};
    const qint64 ceiling = policy.ceiling(++m_failedOpens).count();
    m_reconnectAtMs = QDeadlineTimer::current().deadline() + ceiling / 2 +
                      qint64(QRandomGenerator::global()->bounded(quint64(ceiling / 2) + 1));
    m_lastOpenError = opened.error();
    return opened;
}

Result<void> PgConnection::connect(const QString &url, int connectTimeoutSeconds)
{
    const QByteArray timeout = QByteArray::number(std::max(1, connectTimeoutSeconds));
    const QByteArray dsn = url.toUtf8();
    // jit off: the agent's statements are short, and PostgreSQL's cost estimates for a claim
    // over a backlog of millions pass jit_above_cost, so every claim paid tens of milliseconds of
    // compilation for a query that runs in one (measured: 327 instead of 5,285 claims' worth of
    // deliveries per second at a 1,000,000 backlog).
    //
    // idle_in_transaction_session_timeout: a process frozen inside a transaction (SIGSTOP, a
    // stalled VM) would hold its locks until it thaws, and the claim lock stops every agent's
    // claims. The server ends such a session after kIdleInTransactionMs; the transaction is
    // undone and the process, once it runs again, opens a new connection.
    //
    // TCP keepalives and a TCP user timeout, on both ends: a host cut off the network (no RST,
    // packets vanish) is noticed within about 20 s, idle (keepalives: a probe after 10 s, then
    // every 3 s) or with data on its way (the 20 s user timeout, which on Linux also bounds the
    // probes: a LISTEN session's notifications, a result being sent). The server then
    // ends its sessions, so the advisory locks of singleton jobs it held go to another agent; the
    // agent, waiting on a server that vanished, gives up its connection and reconnects. The URL's
    // own keepalive settings win (libpq: the later of two values of a key, and dbname's come after
    // these).
    QByteArray options("-c TimeZone=UTC -c jit=off -c idle_in_transaction_session_timeout=" +
                       QByteArray::number(kIdleInTransactionMs) +
                       " -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=3"
                       " -c tcp_keepalives_count=3 -c tcp_user_timeout=20000");
    if (m_readTimeoutMs > 0)
        options += " -c statement_timeout=" + QByteArray::number(m_readTimeoutMs);
    const char *keys[] = {"keepalives",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "tcp_user_timeout",
                          "dbname",
                          "connect_timeout",
                          "application_name",
                          "options",
                          nullptr};
    const char *values[] = {"1",
                            "10",
                            "3",
                            "3",
                            "20000",
                            dsn.constData(),
                            timeout.constData(),
                            "ferry-agent",
                            options.constData(),
                            nullptr};
    m_conn = PQconnectdbParams(keys, values, 1);
    if (PQstatus(m_conn) != CONNECTION_OK) {
        const QString message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
        close();
        // PgBouncer refuses the options the agent sends unless told to ignore them.
        const QString pooler = message.contains(u"unsupported startup parameter"_s)
                                   ? u" (a connection pooler in between: see docs/operations.md, "
                                     "'Connection pooling')"_s
                                   : QString();
        Error error = makeError(u"cannot connect to PostgreSQL: %1%2"_s.arg(message, pooler));
        error.connectionLost = true;
        return error;
    }
    PQsetNoticeProcessor(
        m_conn, [](void *, const char *) {}, nullptr);
    if (auto settled = checkSessionSettings(); !settled) {
        close();
        return settled;
    }
    if (m_listed) {
        std::lock_guard lock(g_sessionsMutex);
        g_sessionPids.append(PQbackendPID(m_conn));
    }
    return {};
}

std::optional<QString> PgConnection::urlProblem(const QString &url)
{
    char *error = nullptr;
    PQconninfoOption *parsed = PQconninfoParse(url.toUtf8().constData(), &error);
    if (parsed) {
        PQconninfoFree(parsed);
        return std::nullopt;
    }
    PQfreemem(error); // its text quotes the value
    return u"libpq cannot read it (a stray '%', an unknown parameter or a bad port?); "
           "percent-encode special characters of the user name and password"_s;
}

// The settings open() asked for in the startup packet's options. PgBouncer ignores that
// packet's options (ignore_startup_parameters = options) or refuses them: then they are set
// on the session here, which session pooling keeps for as long as the agent holds the
// connection. A connection that still lacks them is refused: the agent never runs without its
// time zone, its safety net against sessions frozen in a transaction, or (API reads) its read
// timeout. Other connections keep whatever statement_timeout the role or database sets.
Result<void> PgConnection::checkSessionSettings()
{
    const QList<QByteArray> expected{QByteArray::number(kIdleInTransactionMs),
                                     QByteArray::number(m_readTimeoutMs)};
    static constexpr const char *kCheck =
        "SELECT current_setting('TimeZone') = 'UTC' AND current_setting('jit') = 'off'"
        " AND (SELECT setting::bigint FROM pg_settings"
        "      WHERE name = 'idle_in_transaction_session_timeout') = $1"
        " AND ($2::bigint = 0"
        "      OR (SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout') = $2)";
    auto r = exec(kCheck, expected);
    if (r && !r->boolean(0, 0)) {
        if (auto set =
                exec("SELECT set_config('TimeZone', 'UTC', false), set_config('jit', "
                     "'off', false), set_config('idle_in_transaction_session_timeout', "
                     "$1, false), set_config('statement_timeout', CASE WHEN $2::bigint = 0 THEN "
                     "current_setting('statement_timeout') ELSE $2::text END, false)",
                     expected);
            !set)
            return set.error();
        r = exec(kCheck, expected);
    }
    if (!r)
        return r.error();
    if (r->boolean(0, 0))
        return {};
    return makeError(u"the database session does not keep the settings the agent sets (TimeZone, "
                     "jit, idle_in_transaction_session_timeout): a connection pooler in "
                     "transaction pooling mode is in between, which the agent does not support; "
                     "use session pooling or connect directly (docs/operations.md, 'Connection "
                     "pooling')"_s);
}

void PgConnection::close()
{
    m_prepared.clear(); // prepared statements live in the session
    if (m_conn) {
        if (m_listed) {
            std::lock_guard lock(g_sessionsMutex);
            g_sessionPids.removeOne(PQbackendPID(m_conn)); // 0 for a failed attempt: none
        }
        PQfinish(m_conn);
        m_conn = nullptr;
    }
}

QList<int> PgConnection::openSessionPids()
{
    std::lock_guard lock(g_sessionsMutex);
    return g_sessionPids;
}

bool PgConnection::isOpen() const
{
    return m_conn != nullptr && PQstatus(m_conn) == CONNECTION_OK;
}

bool PgConnection::ping()
{
    if (!isOpen())
        return false;
    if (exec("SELECT 1"))
        return true;
    close();
    return false;
}

bool PgConnection::isBroken() const
{
    return m_conn == nullptr || PQstatus(m_conn) != CONNECTION_OK;
}

QList<QByteArray> PgConnection::takeNotifications()
{
    QList<QByteArray> out;
    if (!m_conn)
        return out;
    PQconsumeInput(m_conn);
    while (PGnotify *n = PQnotifies(m_conn)) {
        out.append(QByteArray(n->extra));
        PQfreemem(n);
    }
    return out;
}

int PgConnection::socket() const
{
    return m_conn ? PQsocket(m_conn) : -1;
}

Result<PgResult> PgConnection::exec(const char *sql, const QList<QByteArray> &params)
{
    if (!m_conn)
        return notConnected();
    std::vector<const char *> values;
    values.reserve(size_t(params.size()));
    for (const QByteArray &p : params)
        values.push_back(p.isNull() ? nullptr : p.constData());
    pg_result *raw =
        PQexecParams(m_conn, sql, int(params.size()), nullptr, values.data(), nullptr, nullptr, 0);
    return takeResult(raw);
}

Result<PgResult> PgConnection::execPrepared(const char *sql, const QList<QByteArray> &params)
{
    return runPrepared(sql, params, false);
}

Result<PgResult> PgConnection::execPreparedBinary(const char *sql, const QList<QByteArray> &params)
{
    return runPrepared(sql, params, true);
}

Result<PgResult> PgConnection::runPrepared(const char *sql, const QList<QByteArray> &params,
                                           bool binary)
{
    if (!m_conn)
        return notConnected();
    std::vector<const char *> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    values.reserve(size_t(params.size()));
    for (const QByteArray &p : params) {
        values.push_back(p.isNull() ? nullptr : p.constData());
        if (binary) {
            lengths.push_back(int(p.size()));
            formats.push_back(1);
        }
    }
    for (int attempt = 0;; ++attempt) {
        auto it = m_prepared.constFind(sql);
        if (it == m_prepared.constEnd()) {
            const QByteArray name = "ferry_" + QByteArray::number(m_preparedGeneration) + '_' +
                                    QByteArray::number(m_prepared.size() + 1);
            auto prepared = takeResult(PQprepare(m_conn, name.constData(), sql, 0, nullptr));
            if (!prepared)
                return prepared.error();
            it = m_prepared.insert(sql, name);
        }
        auto result = takeResult(PQexecPrepared(m_conn, it->constData(), int(params.size()),
                                                values.data(), binary ? lengths.data() : nullptr,
                                                binary ? formats.data() : nullptr, 0));
        if (result || !isStalePreparedStatement(result.error()))
            return result;
        // The session lost its prepared statements (a pooler's DISCARD ALL: 26000), or a
        // schema change altered one's result (0A000): prepare them afresh, under new names.
        // Outside a transaction nothing else was affected, so this statement runs again at
        // once; inside one, the caller sees the error (the batch writer retries the batch).
        m_prepared.clear();
        ++m_preparedGeneration;
        if (attempt > 0 || PQtransactionStatus(m_conn) != PQTRANS_IDLE)
            return result;
    }
}

bool isStalePreparedStatement(const Error &error)
{
    return error.sqlState == "26000" || error.sqlState == "0A000";
}

Result<PgResult> PgConnection::takeResult(pg_result *raw)
{
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return PgResult(raw);
    Error error;
    error.message =
        QString::fromUtf8(raw ? PQresultErrorMessage(raw) : PQerrorMessage(m_conn)).trimmed();
    if (error.message.isEmpty())
        error.message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    if (raw) {
        if (const char *state = PQresultErrorField(raw, PG_DIAG_SQLSTATE))
            error.sqlState = state;
        PQclear(raw);
    }
    // Class 08 is a connection exception; 57P01..57P03 are admin/crash shutdowns.
    error.connectionLost = PQstatus(m_conn) != CONNECTION_OK || error.sqlState.startsWith("08") ||
                           error.sqlState.startsWith("57P");
    if (error.sqlState.isEmpty() && !error.connectionLost)
        error.sqlState = "XX000"; // libpq's own failure: still the database's, not the store's
    return error;
}

Result<void> PgConnection::command(const char *sql, const QList<QByteArray> &params)
{
    auto r = exec(sql, params);
    if (!r)
        return r.error();
    return {};
}

Result<void> PgConnection::execScript(const QByteArray &sql)
{
    if (!m_conn)
        return makeError(u"not connected to PostgreSQL"_s);
    pg_result *raw = PQexec(m_conn, sql.constData());
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    const QString message =
        QString::fromUtf8(raw ? PQresultErrorMessage(raw) : PQerrorMessage(m_conn)).trimmed();
    if (raw)
        PQclear(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return {};
    return makeError(message);
}

Result<PgTransaction> PgConnection::transaction(const char *beginSql)
{
    // Prepared: BEGIN and COMMIT run around every batch of the hot path.
    auto r = execPrepared(beginSql);
    if (!r)
        return r.error();
    PgTransaction tx(*this);
    if (m_readTimeoutMs > 0) {
        if (auto lifted = execPrepared("SET LOCAL statement_timeout = 0"); !lifted)
            return lifted.error(); // tx rolls back
    }
    return tx;
}

PgTransaction::~PgTransaction()
{
    if (m_db)
        m_db->rollback();
}

Result<void> PgTransaction::commit()
{
    PgConnection *db = std::exchange(m_db, nullptr);
    auto r = db->execPrepared("COMMIT");
    if (!r) {
        db->rollback();
        return r.error();
    }
    return {};
}

void PgConnection::rollback()
{
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK || PQtransactionStatus(m_conn) == PQTRANS_IDLE)
        return;
    // A failed ROLLBACK leaves nothing to undo here: the server ends the transaction when the
    // session goes, and the next statement reports the broken connection to its caller.
    if (auto r = exec("ROLLBACK"); !r)
        qCWarning(lcStore) << "rollback failed:" << r.error().message;
}

namespace {

void appendQuoted(QByteArray &out, const QByteArray &value)
{
    // Copies runs of ordinary bytes at once; only '"', '\\' and NUL need attention.
    out += '"';
    const char *p = value.constData();
    const char *end = p + value.size();
    while (p < end) {
        const char *run = p;
        while (p < end && *p != '"' && *p != '\\' && *p != '\0')
            ++p;
        out.append(run, p - run);
        if (p == end)
            break;
        if (*p != '\0') { // PostgreSQL text cannot hold NUL; callers reject it where it matters
            out += '\\';
            out += *p;
        }
        ++p;
    }
    out += '"';
}

} // namespace

namespace {

void appendBigEndian32(QByteArray &out, quint32 v)
{
    const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.append(bytes, 4);
}

} // namespace

// array_recv's layout: dimensions, a has-nulls flag, the element type, then per dimension its
// length and lower bound, then each element as a 4-byte length (-1 for NULL) and its bytes.
constexpr qsizetype kArrayHeader = 20;

PgBinaryArray::PgBinaryArray(Type type, qsizetype expectedCount, qsizetype expectedBytes)
{
    m_data.reserve(kArrayHeader + expectedCount * 4 + expectedBytes);
    appendBigEndian32(m_data, 1); // one dimension
    appendBigEndian32(m_data, 0); // has nulls: set by take()
    appendBigEndian32(m_data, quint32(type));
    appendBigEndian32(m_data, 0); // length: set by take()
    appendBigEndian32(m_data, 1); // lower bound
}

void PgBinaryArray::beginElement(qint32 length)
{
    appendBigEndian32(m_data, quint32(length));
    ++m_count;
}

void PgBinaryArray::appendNull()
{
    beginElement(-1);
    m_hasNull = true;
}

void PgBinaryArray::append(QByteArrayView bytes)
{
    beginElement(qint32(bytes.size()));
    m_data.append(bytes.data(), bytes.size());
}

void PgBinaryArray::append(qint64 value)
{
    beginElement(8);
    appendBigEndian32(m_data, quint32(quint64(value) >> 32));
    appendBigEndian32(m_data, quint32(quint64(value)));
}

void PgBinaryArray::appendUuid(const QUuid &id)
{
    beginElement(16);
    m_data.append(id.toRfc4122());
}

QByteArray PgBinaryArray::take()
{
    const auto put = [this](qsizetype at, quint32 v) {
        m_data[at] = char(v >> 24);
        m_data[at + 1] = char(v >> 16);
        m_data[at + 2] = char(v >> 8);
        m_data[at + 3] = char(v);
    };
    put(4, m_hasNull ? 1 : 0);
    put(12, quint32(m_count));
    return std::move(m_data);
}

QByteArray pgTextArray(const QList<QByteArray> &values)
{
    qsizetype size = 2;
    for (const QByteArray &v : values)
        size += v.size() + 8;
    QByteArray out;
    out.reserve(size + size / 16);
    out += '{';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        if (values[i].isNull())
            out += "NULL";
        else
            appendQuoted(out, values[i]);
    }
    out += '}';
    return out;
}

QByteArray pgBytea(const QByteArray &bytes)
{
    return "\\x" + bytes.toHex();
}

QByteArray pgByteaArray(const QList<QByteArray> &values)
{
    QList<QByteArray> hex;
    hex.reserve(values.size());
    for (const QByteArray &v : values)
        hex.append(v.isNull() ? QByteArray() : pgBytea(v));
    return pgTextArray(hex);
}

QByteArray pgInt64Array(const QList<qint64> &values)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        out += QByteArray::number(values[i]);
    }
    out += '}';
    return out;
}

} // namespace ferry::agent::store
