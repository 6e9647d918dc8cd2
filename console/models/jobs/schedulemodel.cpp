#include "console/models/jobs/schedulemodel.h"

#include "console/core/uiformat.h"
#include "console/models/highlight.h"
#include "console/models/jobs/jobwords.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QDateTime timeOf(const QJsonObject &o, QLatin1StringView key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODate);
}

QString dashIfEmpty(const QString &text)
{
    return text.isEmpty() ? u"—"_s : text;
}

} // namespace

Schedule Schedule::fromJson(const QJsonObject &o)
{
    Schedule s;
    s.name = o.value("name"_L1).toString();
    s.cron = o.value("cron"_L1).toString();
    s.timeZone = o.value("time_zone"_L1).toString();
    const QJsonObject event = o.value("event"_L1).toObject();
    s.eventType = event.value("type"_L1).toString();
    s.eventSource = event.value("source"_L1).toString();
    s.catchUp = o.value("catch_up"_L1).toString();
    s.catchUpLimit = o.value("catch_up_limit"_L1).toInt();
    s.paused = o.value("paused"_L1).toBool();
    s.nextFireAt = timeOf(o, "next_fire_at"_L1);
    for (const QJsonValue &v : o.value("upcoming"_L1).toArray())
        s.upcoming.append(QDateTime::fromString(v.toString(), Qt::ISODate));
    s.lastSlot = timeOf(o, "last_slot"_L1);
    s.lastFiredAt = timeOf(o, "last_fired_at"_L1);
    s.lastEventId = o.value("last_event_id"_L1).toString();
    s.fired = o.value("fired"_L1).toInteger();
    s.skipped = o.value("skipped"_L1).toInteger();
    s.lastError = o.value("last_error"_L1).toString();
    s.updatedAt = timeOf(o, "updated_at"_L1);
    return s;
}

ScheduleModel::ScheduleModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ScheduleModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_schedules.size());
}

int ScheduleModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ScheduleModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Schedule &s = m_schedules.at(index.row());
    if (role == Qt::DisplayRole || role == SortRole)
        return display(s, index.column(), role);
    return decoration(s, index.column(), role);
}

QVariant ScheduleModel::display(const Schedule &s, int column, int role)
{
    const bool sort = role == SortRole;
    switch (Column(column)) {
    case Name:
        return s.name;
    case Expression:
        return s.cron;
    case TimeZone:
        return s.timeZone;
    case NextFire:
        return sort ? QVariant(s.nextFireAt) : localDateTimeText(s.nextFireAt);
    case NextFireInZone:
        return sort ? QVariant(s.nextFireAt) : zoneTimeText(s.nextFireAt, s.timeZone);
    case State:
        return sort ? QVariant(s.paused) : scheduleStateText(s.paused);
    case Fired:
        return sort ? QVariant(s.fired) : countText(s.fired);
    case Skipped:
        return sort ? QVariant(s.skipped) : countText(s.skipped);
    case LastError:
        return sort ? s.lastError : dashIfEmpty(s.lastError);
    case ColumnCount:
        break;
    }
    return {};
}

// Alignment, tooltips and the row's highlight: red with an error, grey text while paused.
QVariant ScheduleModel::decoration(const Schedule &s, int column, int role)
{
    if (role == Qt::TextAlignmentRole && (column == Fired || column == Skipped))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (Column(column)) {
        case LastError:
            if (!s.lastError.isEmpty())
                return s.lastError;
            break;
        case Fired:
        case Skipped:
            return s.lastFiredAt.isValid()
                       ? tr("Last fired %1 (its slot %2), event %3")
                             .arg(localDateTimeText(s.lastFiredAt), localDateTimeText(s.lastSlot),
                                  dashIfEmpty(s.lastEventId))
                       : tr("Not fired yet");
        case NextFire:
        case NextFireInZone:
            if (s.paused)
                return tr("Paused: no slot fires until it is resumed.");
            break;
        default:
            break;
        }
        return tr("Emits %1 (source %2); %3")
            .arg(s.eventType, s.eventSource, catchUpText(s.catchUp, s.catchUpLimit));
    }
    if (role == Qt::BackgroundRole && !s.lastError.isEmpty())
        return severityBackground(Severity::Problem);
    if (role == Qt::ForegroundRole && s.paused)
        return QGuiApplication::palette().color(QPalette::PlaceholderText);
    return {};
}

QVariant ScheduleModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == NextFire)
        return tr("When it fires next, on this computer's clock");
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && section == NextFireInZone)
        return tr("When it fires next, on the clock of its time zone (the one its expression is "
                  "read in)");
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name:
        return tr("Schedule");
    case Expression:
        return tr("Expression");
    case TimeZone:
        return tr("Time zone");
    case NextFire:
        return tr("Next fire");
    case NextFireInZone:
        return tr("In its zone");
    case State:
        return tr("State");
    case Fired:
        return tr("Fired");
    case Skipped:
        return tr("Skipped");
    case LastError:
        return tr("Last error");
    case ColumnCount:
        break;
    }
    return {};
}

void ScheduleModel::setSchedules(const QJsonArray &items)
{
    QList<Schedule> schedules;
    schedules.reserve(items.size());
    for (const QJsonValue &v : items)
        schedules.append(Schedule::fromJson(v.toObject()));
    bool same = schedules.size() == m_schedules.size() && !schedules.isEmpty();
    for (int i = 0; same && i < schedules.size(); ++i)
        same = schedules.at(i).name == m_schedules.at(i).name;
    if (same) {
        m_schedules = std::move(schedules);
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_schedules = std::move(schedules);
    endResetModel();
}

void ScheduleModel::updateSchedule(const QJsonObject &item)
{
    Schedule s = Schedule::fromJson(item);
    const int row = rowOf(s.name);
    if (row < 0)
        return;
    m_schedules[row] = std::move(s);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ScheduleModel::clear()
{
    beginResetModel();
    m_schedules.clear();
    endResetModel();
}

int ScheduleModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_schedules.size(); ++i) {
        if (m_schedules.at(i).name == name)
            return i;
    }
    return -1;
}

} // namespace ferry::console
