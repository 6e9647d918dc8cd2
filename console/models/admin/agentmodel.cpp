#include "console/models/admin/agentmodel.h"

#include "console/core/uiformat.h"
#include "console/models/highlight.h"

#include <QFont>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QPalette>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::console {

AgentInfo AgentInfo::fromJson(const QJsonObject &o)
{
    AgentInfo a;
    a.id = o.value("id"_L1).toString();
    a.host = o.value("host"_L1).toString();
    a.version = o.value("version"_L1).toString();
    a.pid = o.value("pid"_L1).toInteger();
    a.startedAt = QDateTime::fromString(o.value("started_at"_L1).toString(), Qt::ISODateWithMs);
    a.heartbeatAt = QDateTime::fromString(o.value("heartbeat_at"_L1).toString(), Qt::ISODateWithMs);
    a.uptimeSeconds = o.value("uptime_seconds"_L1).toInteger();
    a.alive = o.value("alive"_L1).toBool();
    const QJsonObject listen = o.value("listen"_L1).toObject();
    a.httpListen = listen.value("http"_L1).toString();
    a.apiListen = listen.value("api"_L1).toString();
    for (const QJsonValue &j : o.value("jobs"_L1).toArray())
        a.jobs.append(j.toString());
    a.current = o.value("current"_L1).toBool();
    return a;
}

AgentModel::AgentModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int AgentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_agents.size());
}

int AgentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AgentModel::uptimeText(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    const qint64 hours = seconds % 86400 / 3600;
    const qint64 minutes = seconds % 3600 / 60;
    if (days > 0)
        return tr("%1 d %2 h").arg(countText(days)).arg(hours);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes);
    if (minutes > 0)
        return tr("%1 min %2 s").arg(minutes).arg(seconds % 60);
    return tr("%1 s").arg(seconds);
}

QString AgentModel::jobText(const QString &job)
{
    if (job == "retention"_L1)
        return tr("retention");
    if (job == "reconcile"_L1)
        return tr("reconciliation");
    if (job == "migrations"_L1)
        return tr("migrations");
    return job;
}

QString AgentModel::referenceVersion() const
{
    for (const AgentInfo &a : m_agents) {
        if (a.current)
            return a.version;
    }
    for (const AgentInfo &a : m_agents) {
        if (a.alive)
            return a.version;
    }
    return {};
}

bool AgentModel::versionsDiffer() const
{
    QSet<QString> versions;
    for (const AgentInfo &a : m_agents) {
        if (a.alive)
            versions.insert(a.version);
    }
    return versions.size() > 1;
}

bool AgentModel::isOddVersion(const AgentInfo &a) const
{
    return a.alive && versionsDiffer() && a.version != referenceVersion();
}

QString AgentModel::versionsText() const
{
    QStringList lines;
    for (const AgentInfo &a : m_agents) {
        if (a.alive)
            lines.append(tr("%1 on %2 (process %3)").arg(a.version, a.host).arg(a.pid));
    }
    return tr("The agents on this database run different versions:\n%1\nUpgrade them all to the "
              "same version.")
        .arg(lines.join(u'\n'));
}

QString AgentModel::listenText(const AgentInfo &a)
{
    QStringList parts;
    if (!a.httpListen.isEmpty())
        parts.append(a.httpListen);
    if (!a.apiListen.isEmpty())
        parts.append(tr("API %1").arg(a.apiListen));
    return parts.join(u", "_s);
}

QVariant AgentModel::display(const AgentInfo &a, int column)
{
    switch (column) {
    case Host:
        return a.host;
    case Version:
        return a.version;
    case Pid:
        return QString::number(a.pid);
    case Started:
        return localDateTimeText(a.startedAt);
    case Uptime:
        return uptimeText(a.uptimeSeconds);
    case Heartbeat: // to the second today, with the day before
        return a.heartbeatAt.toLocalTime().date() == QDate::currentDate()
                   ? localClockText(a.heartbeatAt)
                   : localDateTimeText(a.heartbeatAt);
    case State:
        return a.alive ? tr("alive") : tr("gone");
    case Listen:
        return listenText(a);
    case Jobs: {
        QStringList words;
        for (const QString &job : a.jobs)
            words.append(jobText(job));
        return words.isEmpty() ? u"—"_s : words.join(u", "_s);
    }
    case Console:
        return a.current ? tr("current") : QString();
    default:
        return {};
    }
}

QVariant AgentModel::toolTip(const AgentInfo &a, int column) const
{
    if (column == Version && isOddVersion(a))
        return versionsText();
    if (column == State && !a.alive)
        return tr("No heartbeat since %1: the agent was stopped, killed or lost its database "
                  "connection. Its row goes a day after its last heartbeat.")
            .arg(localDateTimeText(a.heartbeatAt));
    if (column == Listen)
        return tr("Ingest and health: %1\nAPI: %2")
            .arg(a.httpListen.isEmpty() ? u"—"_s : a.httpListen,
                 a.apiListen.isEmpty() ? tr("off") : a.apiListen);
    if (column == Console && a.current)
        return tr("This console talks to this agent");
    return {};
}

QVariant AgentModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_agents.size())
        return {};
    const AgentInfo &a = m_agents.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(a, column);
    case Qt::ToolTipRole:
        return toolTip(a, column);
    case Qt::BackgroundRole:
        if (column == Version && isOddVersion(a))
            return severityBackground(Severity::Warning);
        return {};
    case Qt::ForegroundRole:
        if (!a.alive)
            return column == State
                       ? QColor(Qt::red)
                       : QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::FontRole:
        if (a.current) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    default:
        return {};
    }
}

QVariant AgentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Host:
        return tr("Host");
    case Version:
        return tr("Version");
    case Pid:
        return tr("Process");
    case Started:
        return tr("Started");
    case Uptime:
        return tr("Uptime");
    case Heartbeat:
        return tr("Last heartbeat");
    case State:
        return tr("State");
    case Listen:
        return tr("Listens on");
    case Jobs:
        return tr("Singleton jobs");
    case Console:
        return tr("Console");
    default:
        return {};
    }
}

void AgentModel::setAgents(const QJsonArray &items)
{
    beginResetModel();
    m_agents.clear();
    for (const QJsonValue &v : items)
        m_agents.append(AgentInfo::fromJson(v.toObject()));
    endResetModel();
}

void AgentModel::clear()
{
    beginResetModel();
    m_agents.clear();
    endResetModel();
}

} // namespace ferry::console
