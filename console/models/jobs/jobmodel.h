#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// One exec job as GET /v1/tenants/{tenant}/jobs lists it: an attempt of a delivery on the exec
// channel, with the progress its command reported.
struct Job
{
    QString deliveryId;
    int attempt = 0;
    QString command;
    QString eventType;
    QString state; // running | succeeded | failed | retrying | timed_out | cancelled | lost
    std::optional<int> progress; // 0–100, while the command reported one
    QString progressMessage;
    std::optional<int> exitCode;
    QString agent;
    qint64 pid = 0;
    QDateTime cancelRequestedAt;
    QString cancelRequestedBy;
    QDateTime startedAt;
    QDateTime heartbeatAt;
    QDateTime finishedAt;

    static Job fromJson(const QJsonObject &o);
    bool isRunning() const;
    bool isStopping() const; // running, its cancellation requested
    // The state in the UI language ("stopping" for a running job asked to stop).
    QString stateText() const;
};

// A tenant's exec jobs, newest first: command, the event type that started it, state, progress
// (ProgressRole: the percentage, for a progress bar), when it started, the agent running it, the
// attempt and the progress message. Failed, timed out and lost ones are red; ones that will be
// retried and ones being stopped amber; cancelled ones grey.
class JobModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Command,
        EventType,
        State,
        Progress,
        StartedAt,
        Agent,
        Attempt,
        Message,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int ProgressRole = Qt::UserRole + 2; // int 0–100, or invalid

    explicit JobModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The same jobs again (a reload) change their rows in place; others reset the model.
    void setJobs(const QJsonArray &items);
    void clear();
    const Job &job(int row) const { return m_jobs.at(row); }
    // The row of a delivery's attempt; attempt -1: its latest attempt. -1 when not listed.
    int rowOf(const QString &deliveryId, int attempt = -1) const;
    bool hasRunningJobs() const;

private:
    static QVariant display(const Job &j, int column, int role);
    static QVariant decoration(const Job &j, int column, int role);

    QList<Job> m_jobs;
};

} // namespace ferry::console
