#include "console/models/jobs/jobmodel.h"

#include "console/core/uiformat.h"
#include "console/models/highlight.h"
#include "console/models/jobs/jobwords.h"

#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

QDateTime timeOf(const QJsonObject &o, QLatin1StringView key)
{
    return QDateTime::fromString(o.value(key).toString(), Qt::ISODate);
}

std::optional<int> intOf(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    return v.isDouble() ? std::optional<int>(v.toInt()) : std::nullopt;
}

} // namespace

Job Job::fromJson(const QJsonObject &o)
{
    Job j;
    j.deliveryId = o.value("delivery_id"_L1).toString();
    j.attempt = o.value("attempt"_L1).toInt();
    j.command = o.value("command"_L1).toString();
    j.eventType = o.value("event_type"_L1).toString();
    j.state = o.value("state"_L1).toString();
    j.progress = intOf(o, "progress"_L1);
    j.progressMessage = o.value("progress_message"_L1).toString();
    j.exitCode = intOf(o, "exit_code"_L1);
    j.agent = o.value("agent"_L1).toString();
    j.pid = o.value("pid"_L1).toInteger();
    j.cancelRequestedAt = timeOf(o, "cancel_requested_at"_L1);
    j.cancelRequestedBy = o.value("cancel_requested_by"_L1).toString();
    j.startedAt = timeOf(o, "started_at"_L1);
    j.heartbeatAt = timeOf(o, "heartbeat_at"_L1);
    j.finishedAt = timeOf(o, "finished_at"_L1);
    return j;
}

bool Job::isRunning() const
{
    return state == "running"_L1;
}

bool Job::isStopping() const
{
    return isRunning() && cancelRequestedAt.isValid();
}

QString Job::stateText() const
{
    return isStopping() ? jobStoppingText() : jobStateText(state);
}

JobModel::JobModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int JobModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Job &j = m_jobs.at(index.row());
    if (role == Qt::DisplayRole || role == SortRole)
        return display(j, index.column(), role);
    if (role == ProgressRole)
        return index.column() == Progress && j.progress ? QVariant(*j.progress) : QVariant();
    return decoration(j, index.column(), role);
}

QVariant JobModel::display(const Job &j, int column, int role)
{
    const bool sort = role == SortRole;
    switch (Column(column)) {
    case Command:
        return j.command;
    case EventType:
        return j.eventType;
    case State:
        return sort ? j.state : j.stateText();
    case Progress:
        if (sort)
            return j.progress.value_or(-1);
        return j.progress ? percentText(*j.progress) : u"—"_s;
    case Message:
        return j.progressMessage;
    case StartedAt:
        return sort ? QVariant(j.startedAt) : localDateTimeText(j.startedAt);
    case Agent:
        return j.agent;
    case Attempt:
        return sort ? QVariant(j.attempt) : countText(j.attempt);
    case ColumnCount:
        break;
    }
    return {};
}

// Alignment, tooltips and the row's highlight: red for failed, timed out and lost jobs, amber for
// ones that will be retried and ones being stopped, grey text for cancelled ones.
QVariant JobModel::decoration(const Job &j, int column, int role)
{
    if (role == Qt::TextAlignmentRole && (column == Attempt || column == Progress))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (column == Message && !j.progressMessage.isEmpty())
            return j.progressMessage;
        if (j.isStopping())
            return tr("Cancellation requested %1 by %2: the agent is stopping the job.")
                .arg(localDateTimeText(j.cancelRequestedAt), j.cancelRequestedBy);
        return tr("Delivery %1, attempt %2; last heartbeat %3")
            .arg(j.deliveryId, countText(j.attempt), localDateTimeText(j.heartbeatAt));
    }
    if (role == Qt::BackgroundRole) {
        if (j.state == "failed"_L1 || j.state == "timed_out"_L1 || j.state == "lost"_L1)
            return severityBackground(Severity::Problem);
        if (j.state == "retrying"_L1 || j.isStopping())
            return severityBackground(Severity::Warning);
    }
    if (role == Qt::ForegroundRole && j.state == "cancelled"_L1)
        return QGuiApplication::palette().color(QPalette::PlaceholderText);
    return {};
}

QVariant JobModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Command:
        return tr("Command");
    case EventType:
        return tr("Event type");
    case State:
        return tr("State");
    case Progress:
        return tr("Progress");
    case StartedAt:
        return tr("Started");
    case Agent:
        return tr("Agent");
    case Attempt:
        return tr("Attempt");
    case Message:
        return tr("Progress message");
    case ColumnCount:
        break;
    }
    return {};
}

void JobModel::setJobs(const QJsonArray &items)
{
    QList<Job> jobs;
    jobs.reserve(items.size());
    for (const QJsonValue &v : items)
        jobs.append(Job::fromJson(v.toObject()));
    bool same = jobs.size() == m_jobs.size() && !jobs.isEmpty();
    for (int i = 0; same && i < jobs.size(); ++i)
        same = jobs.at(i).deliveryId == m_jobs.at(i).deliveryId &&
               jobs.at(i).attempt == m_jobs.at(i).attempt;
    if (same) { // a running job's progress: the rows stay, selection and scrolling too
        m_jobs = std::move(jobs);
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_jobs = std::move(jobs);
    endResetModel();
}

void JobModel::clear()
{
    beginResetModel();
    m_jobs.clear();
    endResetModel();
}

int JobModel::rowOf(const QString &deliveryId, int attempt) const
{
    int found = -1;
    for (int i = 0; i < m_jobs.size(); ++i) {
        const Job &j = m_jobs.at(i);
        if (j.deliveryId != deliveryId)
            continue;
        if (j.attempt == attempt)
            return i;
        if (attempt < 0 && (found < 0 || j.attempt > m_jobs.at(found).attempt))
            found = i;
    }
    return found;
}

bool JobModel::hasRunningJobs() const
{
    return std::any_of(m_jobs.cbegin(), m_jobs.cend(), [](const Job &j) { return j.isRunning(); });
}

} // namespace ferry::console
