#pragma once

#include "shared/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace ferry::agent {

class AgentConfig;

// One database of an installation whose tenants are split across several (database.partitions).
struct Partition
{
    QString name;      // "main" for database.url
    QString url;       // its primary (multi-host URLs as database.url)
    QString apiListen; // its own TLS API; empty: none
    QStringList tenants;
};

// Which database holds which tenant. The first partition is always "main" (database.url and
// api.listen), home of every tenant not named elsewhere; the others come from
// database.partitions, written as entries separated by ';', each
//     NAME url=URL api=HOST:PORT tenants=T1,T2,…
// With database.partitions empty there is one partition and nothing is routed.
class PartitionMap
{
public:
    static constexpr const char *kMain = "main";

    static Result<PartitionMap> fromConfig(const AgentConfig &config);
    static Result<PartitionMap> parse(const QString &text, const QString &mainUrl,
                                      const QString &mainApi);

    const QList<Partition> &partitions() const { return m_partitions; }
    qsizetype size() const { return m_partitions.size(); }
    bool routed() const { return m_partitions.size() > 1; }
    // The index of the partition that holds `tenant` (0, main, for one not named).
    int partitionOf(const QString &tenant) const;
    // The partition that holds `tenant` when it is not the one named `here`; null when it is.
    const Partition *placedElsewhere(const QString &tenant, const QString &here) const;

private:
    static Result<Partition> parseEntry(const QString &entry);
    Result<void> add(Partition partition);

    QList<Partition> m_partitions;
};

} // namespace ferry::agent
