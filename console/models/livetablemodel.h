#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <algorithm>

namespace ferry::console {

// A table fed by the live feed's snapshots (1 Hz): each snapshot updates the rows in place
// (dataChanged, and inserts or removals only for rows that came or went), so selection and
// scroll position stay put.
class LiveTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

protected:
    // Replaces `items` by `next`, both ordered by `key` (next is sorted here), row by row.
    template <typename T, typename Key> void mergeRows(QList<T> &items, QList<T> next, Key key)
    {
        std::sort(next.begin(), next.end(),
                  [&key](const T &a, const T &b) { return key(a) < key(b); });
        int row = 0;
        for (const T &item : next) {
            while (row < items.size() && key(items.at(row)) < key(item)) {
                beginRemoveRows({}, row, row);
                items.removeAt(row);
                endRemoveRows();
            }
            if (row < items.size() && key(items.at(row)) == key(item)) {
                items[row] = item;
                Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
            } else {
                beginInsertRows({}, row, row);
                items.insert(row, item);
                endInsertRows();
            }
            ++row;
        }
        if (row < items.size()) {
            beginRemoveRows({}, row, int(items.size()) - 1);
            items.remove(row, items.size() - row);
            endRemoveRows();
        }
    }
};

} // namespace ferry::console
