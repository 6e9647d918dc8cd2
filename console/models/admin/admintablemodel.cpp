#include "console/models/admin/admintablemodel.h"

#include "console/core/uiformat.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QJsonArray>
#include <QPalette>

#include <limits>

namespace ferry::console {

int AdminTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int AdminTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(headers().size());
}

QVariant AdminTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return cell(m_items.at(index.row()), index.column(), role);
}

QVariant AdminTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    const QStringList names = headers();
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= names.size())
        return {};
    return names.at(section);
}

void AdminTableModel::setItems(const QJsonArray &items)
{
    beginResetModel();
    m_items.clear();
    for (const QJsonValue &v : items)
        m_items.append(v.toObject());
    endResetModel();
}

void AdminTableModel::clear()
{
    setItems({});
}

int AdminTableModel::rowOf(QLatin1StringView key, const QJsonValue &value) const
{
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).value(key) == value)
            return int(i);
    }
    return -1;
}

QVariant AdminTableModel::timeCell(const QJsonObject &item, QLatin1StringView key, int role,
                                   const QString &none)
{
    const QDateTime t = apiTime(item, key);
    if (role == SortRole)
        return t.isValid() ? t.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    return t.isValid() ? localDateTimeText(t) : none;
}

QVariant AdminTableModel::greyed(bool grey)
{
    return grey ? QVariant(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text))
                : QVariant();
}

QDateTime apiTime(const QJsonObject &item, QLatin1StringView key)
{
    return QDateTime::fromString(item.value(key).toString(), Qt::ISODate);
}

} // namespace ferry::console
