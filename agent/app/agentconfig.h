#pragma once

#include "shared/result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <span>

namespace ferry::agent {

// One row of the agent's configuration table. This table is the single source of truth:
// `ferry-agent config` prints it, docs/configuration.md is generated from it (a test checks),
// and every key can be overridden by the environment variable FERRY_<KEY> with dots as
// underscores (database.url → FERRY_DATABASE_URL).
struct ConfigKey
{
    enum class Type { String, Integer, Duration, Boolean };
    const char *key;
    Type type;
    const char *defaultValue;
    const char *help;
};

class AgentConfig
{
public:
    static std::span<const ConfigKey> keys();
    static QString environmentName(const QString &key);

    // Defaults, then the file (if any), then the environment. Unknown keys, malformed lines and
    // values of the wrong type are errors that name the key, the source and what is expected.
    static Result<AgentConfig> load(const QString &filePath,
                                    const QHash<QString, QString> &environment);
    static Result<AgentConfig> fromEnvironment(const QString &filePath = {});

    QString string(const char *key) const;
    qint64 integer(const char *key) const;
    qint64 milliseconds(const char *key) const; // Duration keys: "250ms", "15s", "5m", "2h"
    bool boolean(const char *key) const;
    // Where a key's value came from: "default", the file path, or the environment variable.
    QString origin(const char *key) const;

    static QString markdownTable();

private:
    QHash<QString, QString> m_values;
    QHash<QString, QString> m_origins;
};

} // namespace ferry::agent
