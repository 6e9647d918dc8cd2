#include "agent/app/partitions.h"

#include "agent/app/agentconfig.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent {

namespace {

bool validName(const QString &name)
{
    static const QRegularExpression pattern(u"^[a-z0-9][a-z0-9_-]{0,31}$"_s);
    return pattern.match(name).hasMatch();
}

QString entryHelp()
{
    return u"write each entry as 'NAME url=postgresql://HOST/DATABASE api=HOST:PORT "
           "tenants=T1,T2' and separate entries with ';'"_s;
}

} // namespace

Result<PartitionMap> PartitionMap::fromConfig(const AgentConfig &config)
{
    return parse(config.string("database.partitions"), config.string("database.url"),
                 config.string("api.listen"));
}

Result<PartitionMap> PartitionMap::parse(const QString &text, const QString &mainUrl,
                                         const QString &mainApi)
{
    PartitionMap map;
    map.m_partitions.append(Partition{QString::fromLatin1(kMain), mainUrl, mainApi, {}});
    for (const QString &entry : text.split(u';', Qt::SkipEmptyParts)) {
        if (entry.trimmed().isEmpty())
            continue;
        auto partition = parseEntry(entry.trimmed());
        if (!partition)
            return makeError(u"database.partitions: "_s + partition.error().message);
        if (auto added = map.add(*std::move(partition)); !added)
            return makeError(u"database.partitions: "_s + added.error().message);
    }
    return map;
}

Result<Partition> PartitionMap::parseEntry(const QString &entry)
{
    const QStringList fields = entry.split(u' ', Qt::SkipEmptyParts);
    Partition p;
    p.name = fields.value(0);
    if (!validName(p.name) || p.name == QLatin1StringView(kMain))
        return makeError(u"'%1' is not a partition name: use 1 to 32 of a-z, 0-9, '_' and '-' "
                         "(and not 'main', which is database.url); %2"_s.arg(p.name, entryHelp()));
    for (const QString &field : fields.mid(1)) {
        const qsizetype eq = field.indexOf(u'=');
        const QString key = field.left(eq);
        const QString value = eq < 0 ? QString() : field.mid(eq + 1);
        if (key == "url"_L1 && !value.isEmpty())
            p.url = value;
        else if (key == "api"_L1 && !value.isEmpty())
            p.apiListen = value;
        else if (key == "tenants"_L1 && !value.isEmpty())
            p.tenants = value.split(u',', Qt::SkipEmptyParts);
        else
            return makeError(u"partition %1: '%2' is not url=, api= or tenants= with a value; "
                             "%3"_s.arg(p.name, key, entryHelp()));
    }
    if (p.url.isEmpty())
        return makeError(u"partition %1 has no url=; %2"_s.arg(p.name, entryHelp()));
    if (!p.url.startsWith(u"postgresql://"_s) && !p.url.startsWith(u"postgres://"_s))
        return makeError(u"partition %1's url= is not a postgresql:// URL (libpq's key=value "
                         "settings cannot go in an entry: write them as URL parameters, such as "
                         "postgresql://HOST/DATABASE?sslmode=verify-full)"_s.arg(p.name));
    if (p.tenants.isEmpty())
        return makeError(u"partition %1 names no tenants=; %2"_s.arg(p.name, entryHelp()));
    return p;
}

Result<void> PartitionMap::add(Partition partition)
{
    for (const Partition &other : std::as_const(m_partitions)) {
        if (other.name == partition.name)
            return makeError(u"partition %1 is named twice"_s.arg(partition.name));
        if (other.url == partition.url)
            return makeError(
                u"partitions %1 and %2 have the same url: a tenant lives in one "
                "database, so each partition needs its own"_s.arg(other.name, partition.name));
        if (!partition.apiListen.isEmpty() && other.apiListen == partition.apiListen)
            return makeError(u"partitions %1 and %2 have the same api= address %3"_s.arg(
                other.name, partition.name, partition.apiListen));
        for (const QString &tenant : partition.tenants) {
            if (other.tenants.contains(tenant))
                return makeError(u"tenant %1 is placed in both %2 and %3: a tenant lives in one "
                                 "partition"_s.arg(tenant, other.name, partition.name));
        }
    }
    m_partitions.append(std::move(partition));
    return {};
}

int PartitionMap::partitionOf(const QString &tenant) const
{
    for (int i = 1; i < m_partitions.size(); ++i) {
        if (m_partitions[i].tenants.contains(tenant))
            return i;
    }
    return 0;
}

const Partition *PartitionMap::placedElsewhere(const QString &tenant, const QString &here) const
{
    const Partition &placed = m_partitions.at(partitionOf(tenant));
    return placed.name == here ? nullptr : &placed;
}

} // namespace ferry::agent
