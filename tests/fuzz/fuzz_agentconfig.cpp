// The agent's configuration: the input is a configuration file, and after its first NUL byte,
// environment variables ("NAME=VALUE" lines). Invariants: a failure says why; a loaded
// configuration holds every Integer and Duration key within its range and every Boolean key
// readable; writing each value back as `key = "value"` and loading that file gives the same
// configuration (stable round trip).

#include "agent/app/agentconfig.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QDir>
#include <QFile>
#include <QHash>

#include <cstddef>
#include <cstdint>
#include <unistd.h>

using ferry::agent::AgentConfig;
using ferry::agent::ConfigKey;
using namespace Qt::StringLiterals;

namespace {

QString scratchFile(const char *name)
{
    return QDir::tempPath() +
           u"/ferry-fuzz-%1-%2.conf"_s.arg(QLatin1StringView(name)).arg(::getpid());
}

void write(const QString &path, const QByteArray &text)
{
    QFile file(path);
    FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    FUZZ_CHECK(file.write(text) == text.size());
}

QHash<QString, QString> environment(const QByteArray &text)
{
    QHash<QString, QString> env;
    for (const QByteArray &line : text.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            env.insert(QString::fromUtf8(line.first(eq)), QString::fromUtf8(line.sliced(eq + 1)));
    }
    return env;
}

void checkValues(const AgentConfig &config)
{
    for (const ConfigKey &k : AgentConfig::keys()) {
        switch (k.type) {
        case ConfigKey::Type::Integer:
            FUZZ_CHECK(config.integer(k.key) >= k.range.min &&
                       config.integer(k.key) <= k.range.max);
            break;
        case ConfigKey::Type::Duration:
            FUZZ_CHECK(config.milliseconds(k.key) >= k.range.min &&
                       config.milliseconds(k.key) <= k.range.max);
            break;
        case ConfigKey::Type::Boolean: {
            const QString v = config.string(k.key).trimmed().toLower();
            FUZZ_CHECK(config.boolean(k.key) ==
                       (v == u"true"_s || v == u"yes"_s || v == u"on"_s || v == u"1"_s));
            break;
        }
        case ConfigKey::Type::String:
            break;
        }
    }
}

// Every value written back into a file, quoted; nullopt when one cannot be (a line break).
std::optional<QByteArray> writtenBack(const AgentConfig &config)
{
    QByteArray text;
    for (const ConfigKey &k : AgentConfig::keys()) {
        const QString v = config.string(k.key);
        if (v.contains(u'\n') || v.contains(u'\r'))
            return std::nullopt;
        text += QByteArray(k.key) + " = \"" + v.toUtf8() + "\"\n";
    }
    return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nul = input.indexOf('\0');
    static const QString file = scratchFile("input");
    write(file, nul < 0 ? input : input.first(nul));
    const auto config = AgentConfig::load(file, nul < 0 ? QHash<QString, QString>()
                                                        : environment(input.sliced(nul + 1)));
    QFile::remove(file); // nothing left in the temporary directory between inputs
    if (!config.ok()) {
        FUZZ_CHECK(!config.error().message.isEmpty());
        return 0;
    }
    checkValues(*config);
    const auto text = writtenBack(*config);
    if (!text)
        return 0;
    static const QString again = scratchFile("again");
    write(again, *text);
    const auto reloaded = AgentConfig::load(again, {});
    QFile::remove(again);
    FUZZ_CHECK(reloaded.ok());
    for (const ConfigKey &k : AgentConfig::keys())
        FUZZ_CHECK(reloaded->string(k.key) == config->string(k.key));
    return 0;
}
