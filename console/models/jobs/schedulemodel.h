#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QString>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// A tenant's schedule as GET /v1/tenants/{tenant}/schedules lists it: when it fires (a cron
// expression or an interval, read in its time zone), the event it emits, and what it fired.
struct Schedule
{
    QString name;
    QString cron;
    QString timeZone;
    QString eventType;
    QString eventSource;
    QString catchUp; // skip | once | all
    int catchUpLimit = 0;
    bool paused = false;
    QDateTime nextFireAt;      // invalid while paused
    QList<QDateTime> upcoming; // the next slots (up to 5), none while paused
    QDateTime lastSlot;
    QDateTime lastFiredAt;
    QString lastEventId;
    qint64 fired = 0;
    qint64 skipped = 0;
    QString lastError;
    QDateTime updatedAt;

    static Schedule fromJson(const QJsonObject &o);
};

// A tenant's schedules, by name: expression, time zone, the next slot on this computer's clock
// and on the schedule's, paused or active, what it fired and skipped, its last error. Paused
// ones are grey, ones with an error red.
class ScheduleModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Expression,
        TimeZone,
        NextFire,
        NextFireInZone,
        State,
        Fired,
        Skipped,
        LastError,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ScheduleModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The same schedules again (a reload) change their rows in place; others reset the model.
    void setSchedules(const QJsonArray &items);
    // One schedule as an action answered it (pause, resume).
    void updateSchedule(const QJsonObject &item);
    void clear();
    const Schedule &schedule(int row) const { return m_schedules.at(row); }
    int rowOf(const QString &name) const;

private:
    static QVariant display(const Schedule &s, int column, int role);
    static QVariant decoration(const Schedule &s, int column, int role);

    QList<Schedule> m_schedules;
};

} // namespace ferry::console
