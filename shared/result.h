#pragma once

#include <QByteArray>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace ferry {

// The one error type of every layer: what went wrong and, where it helps, what to do. Errors
// from PostgreSQL also carry its SQLSTATE and whether the connection was lost (retry later: the
// outcome of an in-progress commit is unknown) or only the statement failed.
struct Error
{
    QString message;
    int code = 0; // a domain code: an HTTP status for ingest, 0 where none applies
    QByteArray sqlState;
    bool connectionLost = false;
};

// A small stand-in for std::expected (C++23) that works with g++ 12 in C++20 mode.
template <typename T, typename E = Error> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {}
    Result(E error)
        : m_value(std::move(error))
    {}

    bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_value); }
    const T &value() const & { return std::get<T>(m_value); }
    T &&value() && { return std::get<T>(std::move(m_value)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const E &error() const { return std::get<E>(m_value); }

private:
    std::variant<T, E> m_value;
};

template <typename E> class [[nodiscard]] Result<void, E>
{
public:
    Result() = default;
    Result(E error)
        : m_error(std::move(error))
    {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const E &error() const { return *m_error; }

private:
    std::optional<E> m_error;
};

inline Error makeError(QString message, int code = 0)
{
    Error error;
    error.message = std::move(message);
    error.code = code;
    return error;
}

// An error as PostgreSQL would report it: for those the store raises itself, such as a
// serialisation conflict (40001) its callers retry like the server's own.
inline Error makeSqlError(QString message, QByteArray sqlState)
{
    Error error = makeError(std::move(message));
    error.sqlState = std::move(sqlState);
    return error;
}

} // namespace ferry
