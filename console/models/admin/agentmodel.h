#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// One agent of the database as GET /v1/agents lists it.
struct AgentInfo
{
    QString id;
    QString host;
    QString version;
    qint64 pid = 0;
    QDateTime startedAt;
    QDateTime heartbeatAt;
    qint64 uptimeSeconds = 0;
    bool alive = false;
    QString httpListen;
    QString apiListen;
    QStringList jobs;     // retention, reconcile, migrations
    bool current = false; // the agent this console talks to

    static AgentInfo fromJson(const QJsonObject &o);
};

// The agents that share the database, longest running first: host, version, process id, when it
// started, uptime, last heartbeat, alive or gone (gone ones grey, their state red), listen
// addresses, the singleton jobs it holds and which one this console talks to (bold). A version
// that differs from the current agent's (among the live agents) is highlighted, its tooltip
// says which agents run which version.
class AgentModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Host,
        Version,
        Pid,
        Started,
        Uptime,
        Heartbeat,
        State,
        Listen,
        Jobs,
        Console,
        ColumnCount
    };

    explicit AgentModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setAgents(const QJsonArray &items);
    void clear();
    const AgentInfo &agent(int row) const { return m_agents.at(row); }
    // Live agents run more than one version.
    bool versionsDiffer() const;
    // Whether this agent's version stands out (versionsDiffer() and not the reference version).
    bool isOddVersion(const AgentInfo &a) const;

    // "2 d 3 h", "5 h 12 min", "3 min 20 s", "12 s".
    static QString uptimeText(qint64 seconds);
    // A singleton job's name in the UI language.
    static QString jobText(const QString &job);

private:
    static QVariant display(const AgentInfo &a, int column);
    QVariant toolTip(const AgentInfo &a, int column) const;
    static QString listenText(const AgentInfo &a);
    QString referenceVersion() const;
    QString versionsText() const;

    QList<AgentInfo> m_agents;
};

} // namespace ferry::console
