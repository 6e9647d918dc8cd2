#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// One reconciliation run as GET /v1/tenants/{tenant}/reconciliation lists it.
struct ReconcileRun
{
    qint64 id = 0;
    QString trigger; // schedule | request
    QString requestedBy;
    QString state; // waiting | running | finished
    QDateTime requestedAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    int checked = 0;
    int drifts = 0;
    int failures = 0;
    QString error;

    static ReconcileRun fromJson(const QJsonObject &o);
};

// A tenant's reconciliation runs, in the agent's order (newest first). Runs with failures or an
// error are red, runs that found drifts amber.
class ReconcileRunModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Id,
        State,
        Trigger,
        RequestedAt,
        FinishedAt,
        Checked,
        Drifts,
        Failures,
        Error,
        RequestedBy,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ReconcileRunModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setRuns(const QJsonArray &runs);
    void clear();
    const ReconcileRun &run(int row) const { return m_runs.at(row); }
    int rowOf(qint64 id) const;

private:
    static QVariant display(const ReconcileRun &r, int column, int role);
    static QVariant decoration(const ReconcileRun &r, int column, int role);

    QList<ReconcileRun> m_runs;
};

} // namespace ferry::console
