#pragma once

#include <QSortFilterProxyModel>

namespace ferry::console {

// The routes whose name, tenant, channel, target, event types or credential contain a text
// (case-insensitive), sorted by RouteModel::SortRole.
class RouteFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit RouteFilterModel(QObject *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text); // "": every route

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace ferry::console
