#pragma once

#include "shared/result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <limits>
#include <span>

namespace ferry::agent {

// One row of the agent's configuration table. This table is the single source of truth:
// `ferry-agent config` prints it, docs/configuration.md is generated from it (a test checks),
// and every key can be overridden by the environment variable FERRY_<KEY> with dots as
// underscores (database.url → FERRY_DATABASE_URL).
struct ConfigKey
{
    enum class Type { String, Integer, Duration, Boolean };
    // The values an Integer or Duration key accepts (a Duration's in milliseconds), bounds
    // included; a value outside is an error, never clamped. Unused for other types.
    struct Range
    {
        static constexpr qint64 kNoMaximum = std::numeric_limits<qint64>::max();
        qint64 min = 0;
        qint64 max = kNoMaximum;
    };
    const char *key;
    Type type;
    const char *defaultValue;
    Range range;
    const char *help;
};

class AgentConfig
{
public:
    static std::span<const ConfigKey> keys();
    static QString environmentName(const QString &key);

    // Defaults, then the file (if any), then the environment. Unknown keys, malformed lines,
    // values of the wrong type and values out of their key's range are errors that name the
    // key, the value, the source (file and line, or environment variable) and what is allowed.
    static Result<AgentConfig> load(const QString &filePath,
                                    const QHash<QString, QString> &environment);
    static Result<AgentConfig> fromEnvironment(const QString &filePath = {});
    // As load(), but goes on past a bad line or variable: every problem of the file and the
    // environment, in order (`ferry-agent check-config`). The configuration is what is left
    // once the bad lines are skipped.
    static AgentConfig loadAll(const QString &filePath, const QHash<QString, QString> &environment,
                               QStringList &problems);
    // The FERRY_* variables of this process, and the file: the given one, else $FERRY_CONFIG.
    static QHash<QString, QString> environment();
    static QString filePath(const QString &given);

    QString string(const char *key) const;
    qint64 integer(const char *key) const;
    qint64 milliseconds(const char *key) const; // Duration keys: "250ms", "15s", "5m", "2h"
    bool boolean(const char *key) const;
    // Where a key's value came from: "default", the file path, or the environment variable.
    QString origin(const char *key) const;

    static QString markdownTable();
    // The packaged /etc/ferry/agent.conf: every key under its section, commented out with its
    // default, what it means and what it allows.
    static QString sampleFile();
    // "1 to 64", "100ms to 1h", "0 or more"; empty for keys without a range.
    static QString rangeText(const ConfigKey &key);

private:
    void set(const QString &key, const QString &value, const QString &origin);
    Result<void> readFile(const QString &filePath);
    Result<void> readFileLine(const QString &line, const QString &where, const QString &filePath,
                              QString &section);
    Result<void> readEnvironment(const QHash<QString, QString> &environment);
    // A problem: the error when stopping at the first one, nothing when collecting them all.
    Result<void> problem(Error error);

    QStringList *m_problems = nullptr; // collecting: loadAll()

    QHash<QString, QString> m_values;
    QHash<QString, QString> m_origins;
};

} // namespace ferry::agent
