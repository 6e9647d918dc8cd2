#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>

class QJsonArray;

namespace ferry::console {

// The rows of an administration list as the API answers them (one JSON object each), shown
// through a subclass's columns. Never holds a secret: the API lists none.
class AdminTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int SortRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setItems(const QJsonArray &items);
    void clear();
    const QJsonObject &item(int row) const { return m_items.at(row); }
    // The row whose `key` member is `value`; -1 when none.
    int rowOf(QLatin1StringView key, const QJsonValue &value) const;

protected:
    virtual QStringList headers() const = 0;
    // DisplayRole, SortRole, ToolTipRole or ForegroundRole of one cell.
    virtual QVariant cell(const QJsonObject &item, int column, int role) const = 0;
    // A time cell: the local time shown, the moment sorted by; `none` when there is none.
    static QVariant timeCell(const QJsonObject &item, QLatin1StringView key, int role,
                             const QString &none);
    // The foreground of a row that no longer counts (revoked): grey.
    static QVariant greyed(bool grey);

private:
    QList<QJsonObject> m_items;
};

// A time member of an API answer ("created_at") as a QDateTime; invalid when null or missing.
QDateTime apiTime(const QJsonObject &item, QLatin1StringView key);

} // namespace ferry::console
