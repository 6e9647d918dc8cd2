#include "agent/jobs/execcommand.h"

#include "shared/retrypolicy.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::jobs {

namespace {

const QStringList kKeys{u"command"_s, u"description"_s, u"working_directory"_s, u"environment"_s,
                        u"tenants"_s, u"timeout"_s,     u"kill_grace"_s,        u"cpu_time"_s,
                        u"memory"_s,  u"open_files"_s,  u"output_limit"_s};

// "512M", "64K", "1G" (powers of 1024) or a plain number of bytes.
std::optional<qint64> parseSize(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble() >= 0 ? std::optional<qint64>(qint64(value.toDouble()))
                                     : std::nullopt;
    static const QRegularExpression size(u"^(\\d{1,12})\\s*([KMG]?)i?B?$"_s,
                                         QRegularExpression::CaseInsensitiveOption);
    const auto m = size.match(value.toString().trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QString unit = m.captured(2).toUpper();
    const int shift = unit == "K"_L1 ? 10 : unit == "M"_L1 ? 20 : unit == "G"_L1 ? 30 : 0;
    return m.captured(1).toLongLong() << shift;
}

Error keyError(const QString &where, const QString &key, const QString &what)
{
    return makeError(u"%1: \"%2\" %3"_s.arg(where, key, what));
}

Result<QStringList> stringList(const QJsonObject &o, const QString &key, const QString &where)
{
    QStringList out;
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return out;
    if (!v.isArray())
        return keyError(where, key, u"must be an array of strings"_s);
    for (const QJsonValue &item : v.toArray()) {
        if (!item.isString() || item.toString().isEmpty())
            return keyError(where, key, u"must be an array of non-empty strings"_s);
        out.append(item.toString());
    }
    return out;
}

Result<void> readDuration(const QJsonObject &o, const QString &key, const QString &where,
                          qint64 &out)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return {};
    const auto ms = parseDurationMs(v.toString());
    if (!ms || *ms < 0)
        return keyError(where, key, u"must be a duration such as \"30s\", \"10m\" or \"2h\""_s);
    out = *ms;
    return {};
}

Result<void> readSize(const QJsonObject &o, const QString &key, const QString &where, qint64 &out)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined())
        return {};
    const auto bytes = parseSize(v);
    if (!bytes)
        return keyError(where, key, u"must be a size such as 65536, \"64K\", \"512M\" or \"2G\""_s);
    out = *bytes;
    return {};
}

Result<void> readArgv(const QJsonObject &o, const QString &where, ExecCommand &c)
{
    auto argv = stringList(o, u"command"_s, where);
    if (!argv)
        return argv.error();
    if (argv->isEmpty())
        return keyError(where, u"command"_s,
                        u"is required: the program and its arguments, such as "
                        "[\"/usr/local/bin/export-invoices\", \"--format\", \"csv\"]"_s);
    if (!QFileInfo(argv->first()).isAbsolute())
        return keyError(
            where, u"command"_s,
            u"must start with an absolute path (\"%1\" is not one)"_s.arg(argv->first()));
    c.argv = *argv;
    return {};
}

Result<void> readEnvironment(const QJsonObject &o, const QString &where, ExecCommand &c)
{
    const QJsonValue v = o.value(u"environment"_s);
    if (v.isUndefined())
        return {};
    if (!v.isObject())
        return keyError(where, u"environment"_s, u"must be an object of strings"_s);
    static const QRegularExpression name(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    const QJsonObject env = v.toObject();
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (!it.value().isString() || !name.match(it.key()).hasMatch() ||
            it.key().startsWith(u"FERRY_"_s))
            return keyError(where, u"environment"_s,
                            u"entry \"%1\": names are letters, digits and '_' (not starting "
                            "with FERRY_, which the agent sets), values strings"_s.arg(it.key()));
        c.environment.insert(it.key(), it.value().toString());
    }
    return {};
}

Result<void> readLimits(const QJsonObject &o, const QString &where, ExecCommand &c)
{
    for (const auto &r : {readDuration(o, u"timeout"_s, where, c.timeoutMs),
                          readDuration(o, u"kill_grace"_s, where, c.killGraceMs),
                          readSize(o, u"memory"_s, where, c.memoryBytes),
                          readSize(o, u"output_limit"_s, where, c.outputLimit)}) {
        if (!r)
            return r;
    }
    if (c.timeoutMs < 1000)
        return keyError(where, u"timeout"_s, u"must be at least 1s"_s);
    qint64 cpuMs = c.cpuSeconds * 1000;
    if (auto r = readDuration(o, u"cpu_time"_s, where, cpuMs); !r)
        return r;
    c.cpuSeconds = (cpuMs + 999) / 1000;
    const QJsonValue files = o.value(u"open_files"_s);
    if (!files.isUndefined()) {
        if (!files.isDouble() || files.toDouble() < 16 || files.toDouble() > 1'048'576)
            return keyError(where, u"open_files"_s, u"must be a number from 16 to 1048576"_s);
        c.openFiles = qint64(files.toDouble());
    }
    if (c.outputLimit < 1024 || c.outputLimit > qint64(16) * 1024 * 1024)
        return keyError(where, u"output_limit"_s, u"must be from 1K to 16M"_s);
    return {};
}

} // namespace

bool ExecCommand::allowsTenant(const QString &tenant) const
{
    return tenants.isEmpty() || tenants.contains(tenant);
}

bool ExecCommands::validName(const QString &name)
{
    static const QRegularExpression valid(u"^[a-z0-9][a-z0-9_.-]{0,62}$"_s);
    return valid.match(name).hasMatch();
}

Result<ExecCommand> ExecCommands::parse(const QString &name, const QByteArray &json,
                                        const QString &where)
{
    if (!validName(name))
        return makeError(
            u"%1: \"%2\" is not a valid command name: use 1 to 63 lowercase "
            "letters, digits, '.', '-' or '_' (the file is <name>.json)"_s.arg(where, name));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return makeError(u"%1: not a JSON object (%2 at offset %3)"_s.arg(
            where, error.errorString(), QString::number(error.offset)));
    const QJsonObject o = doc.object();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!kKeys.contains(it.key()))
            return keyError(where, it.key(),
                            u"is not a command setting; the settings are "_s + kKeys.join(u", "));
    }
    ExecCommand c;
    c.name = name;
    c.description = o.value(u"description"_s).toString();
    c.workingDirectory = o.value(u"working_directory"_s).toString();
    if (!c.workingDirectory.isEmpty() && !QFileInfo(c.workingDirectory).isAbsolute())
        return keyError(where, u"working_directory"_s, u"must be an absolute path"_s);
    auto tenants = stringList(o, u"tenants"_s, where);
    if (!tenants)
        return tenants.error();
    c.tenants = *tenants;
    for (const auto &r :
         {readArgv(o, where, c), readEnvironment(o, where, c), readLimits(o, where, c)}) {
        if (!r)
            return r.error();
    }
    return c;
}

Result<ExecCommands> ExecCommands::load(const QString &directory)
{
    ExecCommands out;
    if (directory.isEmpty() || !QFileInfo(directory).isDir())
        return out;
    const QDir dir(directory);
    for (const QFileInfo &file : dir.entryInfoList({u"*.json"_s}, QDir::Files, QDir::Name)) {
        QFile f(file.filePath());
        if (!f.open(QIODevice::ReadOnly))
            return makeError(u"%1: cannot be read: %2"_s.arg(file.filePath(), f.errorString()));
        auto command = parse(file.completeBaseName(), f.readAll(), file.filePath());
        if (!command)
            return command.error();
        out.insert(*command);
    }
    return out;
}

const ExecCommand *ExecCommands::find(const QString &name) const
{
    const auto it = m_commands.constFind(name);
    return it == m_commands.cend() ? nullptr : &*it;
}

QStringList ExecCommands::names() const
{
    QStringList out = m_commands.keys();
    out.sort();
    return out;
}

void ExecCommands::insert(const ExecCommand &command)
{
    m_commands.insert(command.name, command);
}

} // namespace ferry::agent::jobs
