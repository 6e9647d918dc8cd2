#pragma once

#include <functional>

#include "shared/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QUuid>

#include <memory>
#include <optional>
#include <utility>

struct pg_conn;
struct pg_result;

namespace ferry::agent::store {

// One libpq result; rows and columns are read as text.
class PgResult
{
public:
    PgResult() = default;
    explicit PgResult(pg_result *result);
    ~PgResult();
    PgResult(PgResult &&other) noexcept;
    PgResult &operator=(PgResult &&other) noexcept;
    PgResult(const PgResult &) = delete;
    PgResult &operator=(const PgResult &) = delete;

    int rows() const;
    bool isNull(int row, int column) const;
    QByteArray bytes(int row, int column) const;
    QString text(int row, int column) const;
    qint64 int64(int row, int column) const;
    double real(int row, int column) const; // numeric, real, double precision; NULL is 0
    bool boolean(int row, int column) const;
    // A bytea column in hex output format, decoded.
    QByteArray bytea(int row, int column) const;
    // A timestamptz column (the session runs in UTC).
    QDateTime timestamp(int row, int column) const;
    qint64 affectedRows() const;

private:
    pg_result *m_result = nullptr;
};

// True for the errors of a prepared statement the session no longer has or can no longer run
// as prepared; PgConnection prepares its statements again on their next use.
bool isStalePreparedStatement(const Error &error);

class PgTransaction;

// A thin RAII wrapper over a libpq connection. One per thread; all SQL of the agent lives in
// agent/store and runs through this class.
class PgConnection
{
public:
    PgConnection();
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // A session that sits idle inside a transaction this long is ended by the server, and its
    // locks go with it: Ferry's transactions never wait on anything but PostgreSQL.
    static constexpr int kIdleInTransactionMs = 5000;

    // Connects, or fails at once with the last attempt's error while that attempt's backoff
    // runs: after a failed attempt the next waits 50 to 100 ms, then up to twice as long each
    // time, capped at kReconnectCapMs (half of it drawn at random, so agents that lost one
    // primary do not call the next one in step). A success, or a connection that was open and
    // then lost, starts over at once.
    Result<void> open(const QString &url, int connectTimeoutSeconds = 5);
    // Milliseconds until open() tries the server again (0: now).
    qint64 msUntilReconnect() const;
    // false: every open() tries the server, for a connection opened on behalf of a caller who
    // waits for the answer (the API), where an attempt per request is the natural pace.
    void setReconnectBackoff(bool on) { m_backoff = on; }
    // false: this connection's sessions are not listed in openSessionPids() (a standby's: the
    // registry matches those ids against the primary's locks).
    void setListedForRegistry(bool on) { m_listed = on; }
    // Why `url` is not a connection string libpq can read, without repeating it (it may hold a
    // password); nothing when it is one.
    static std::optional<QString> urlProblem(const QString &url);
    static constexpr qint64 kReconnectCapMs = 2000;
    void close();
    // The server process ids (PQbackendPID) of this process's open sessions: the agent
    // registry names the advisory locks they hold (store::AgentStore).
    static QList<int> openSessionPids();
    // From the next open() on, a statement outside a transaction (a read) is cancelled after
    // `ms` milliseconds (SQLSTATE 57014); 0: no limit. Statements in a transaction (writes)
    // are not limited: their transaction lifts it.
    void setReadTimeout(qint64 ms) { m_readTimeoutMs = ms; }
    bool isOpen() const;
    // A round trip to the server: an idle connection that the server dropped is found here
    // (and closed) rather than by the next real statement.
    bool ping();

    // Runs a statement with text parameters (a null QByteArray is SQL NULL). An error carries
    // PostgreSQL's SQLSTATE and whether the connection was lost.
    Result<PgResult> exec(const char *sql, const QList<QByteArray> &params = {});

    // Like exec, for the hot statements: `sql` (a string literal, whose address names
    // it) is prepared once per connection, so PostgreSQL parses and plans it only once instead
    // of on every call.
    Result<PgResult> execPrepared(const char *sql, const QList<QByteArray> &params = {});
    // The same with every parameter in PostgreSQL's binary format (see PgBinaryArray): nothing
    // to escape on this side, nothing to parse on the server's.
    Result<PgResult> execPreparedBinary(const char *sql, const QList<QByteArray> &params);

    // Runs several statements separated by semicolons, without parameters (migrations).
    Result<void> execScript(const QByteArray &sql);

    // Runs a statement whose rows are not needed.
    Result<void> command(const char *sql, const QList<QByteArray> &params = {});

    // The one way to open a transaction: BEGIN now, ROLLBACK when the guard goes out of scope
    // without PgTransaction::commit().
    // `beginSql` may set the isolation level ("BEGIN ISOLATION LEVEL ...", a string literal).
    Result<PgTransaction> transaction(const char *beginSql = "BEGIN");
    // Runs `work` (returning a Result) in a transaction: commits when it succeeds, rolls back
    // when it (or the commit) fails.
    template <typename Work> auto inTransaction(Work &&work) -> decltype(work());
    void rollback();

    // Payloads of LISTEN notifications received so far (reads what the socket has).
    QList<QByteArray> takeNotifications();

    // True after an error that broke the connection; the owner reconnects.
    bool isBroken() const;
    int socket() const;
    pg_conn *handle() const { return m_conn; }

private:
    Result<void> connect(const QString &url, int connectTimeoutSeconds);
    Result<void> checkSessionSettings();
    Result<PgResult> takeResult(pg_result *raw);
    Result<PgResult> runPrepared(const char *sql, const QList<QByteArray> &params, bool binary);

    pg_conn *m_conn = nullptr;
    bool m_backoff = true;
    bool m_listed = true;
    int m_failedOpens = 0;
    qint64 m_reconnectAtMs = 0; // QDeadlineTimer clock
    Error m_lastOpenError;
    QHash<const void *, QByteArray> m_prepared; // statement text address -> name
    int m_preparedGeneration = 1;
    qint64 m_readTimeoutMs = 0;
};

// An open transaction on one connection (see PgConnection::transaction()). Destroyed without
// commit(), it rolls back, so an early return on error never leaves a transaction open.
class PgTransaction
{
public:
    explicit PgTransaction(PgConnection &db)
        : m_db(&db)
    {}
    PgTransaction(PgTransaction &&other) noexcept
        : m_db(std::exchange(other.m_db, nullptr))
    {}
    PgTransaction &operator=(PgTransaction &&) = delete;
    PgTransaction(const PgTransaction &) = delete;
    ~PgTransaction();

    // COMMIT; on failure the transaction is rolled back (if the connection still stands).
    Result<void> commit();

private:
    PgConnection *m_db;
};

template <typename Work> auto PgConnection::inTransaction(Work &&work) -> decltype(work())
{
    auto tx = transaction();
    if (!tx)
        return tx.error();
    auto result = work();
    if (!result)
        return result;
    if (auto committed = tx->commit(); !committed)
        return committed.error();
    return result;
}

// A one-dimensional array in PostgreSQL's binary format (array_recv), for a parameter of
// execPreparedBinary() cast to the matching array type, such as `$1::uuid[]`. Elements are
// appended in their binary form: text, json and bytea as their bytes, bigint big-endian, uuid as
// 16 bytes.
class PgBinaryArray
{
public:
    enum class Type : quint32 { Int8 = 20, Text = 25, Json = 114, Bytea = 17, Uuid = 2950 };
    PgBinaryArray(Type type, qsizetype expectedCount, qsizetype expectedBytes = 0);

    void appendNull();
    void append(QByteArrayView bytes); // text, json, bytea
    void append(qint64 value);         // bigint
    void appendUuid(const QUuid &id);  // uuid
    // The finished array; the builder is spent.
    QByteArray take();

private:
    void beginElement(qint32 length);

    QByteArray m_data;
    qint32 m_count = 0;
    bool m_hasNull = false;
};

// Helpers to pass many rows in one statement as PostgreSQL array literals (used with unnest()).
QByteArray pgTextArray(const QList<QByteArray> &values);
QByteArray pgByteaArray(const QList<QByteArray> &values);
// A bytea parameter in text form ("\\x" and hex).
QByteArray pgBytea(const QByteArray &bytes);
QByteArray pgInt64Array(const QList<qint64> &values);

} // namespace ferry::agent::store
