#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// One drift a reconciliation run found: Ferry's state of a message and the provider's differed.
struct ReconcileDrift
{
    qint64 runId = 0;
    QString deliveryId;
    QString channel;
    QString providerMessageId;
    QString believed;     // Ferry's state before the run
    QString providerSaid; // the provider's word for it
    QString action;       // what the run did about it
    QDateTime foundAt;

    static ReconcileDrift fromJson(const QJsonObject &o);
};

// The drifts of one run or of every run of a tenant, newest first.
class ReconcileDriftModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        FoundAt,
        ProviderMessageId,
        Channel,
        Believed,
        ProviderSaid,
        Action,
        Run,
        DeliveryId,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ReconcileDriftModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setDrifts(const QJsonArray &drifts);
    void clear();
    const ReconcileDrift &drift(int row) const { return m_drifts.at(row); }

private:
    static QVariant display(const ReconcileDrift &d, int column, int role);

    QList<ReconcileDrift> m_drifts;
};

} // namespace ferry::console
