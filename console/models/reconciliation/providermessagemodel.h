#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

#include <optional>

class QJsonArray;
class QJsonObject;

namespace ferry::console {

// A message a provider accepted, as GET /v1/tenants/{tenant}/messages lists it: its receipt
// status and its billing ledger entry.
struct ProviderMessage
{
    QString deliveryId;
    QString channel;
    QString providerMessageId;
    QString status;
    QString error;
    int receipts = 0;
    QDateTime acceptedAt;
    QDateTime updatedAt;
    std::optional<double> cost; // none: not known yet
    QString currency;
    bool costEstimated = true;

    static ProviderMessage fromJson(const QJsonObject &o);
};

// A tenant's provider messages with what they cost, newest first.
class ProviderMessageModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        AcceptedAt,
        ProviderMessageId,
        Channel,
        Status,
        Receipts,
        Cost,
        Currency,
        Estimated,
        UpdatedAt,
        Error,
        DeliveryId,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ProviderMessageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setMessages(const QJsonArray &items);
    void clear();
    const ProviderMessage &message(int row) const { return m_messages.at(row); }

    // A cost in the UI language's number format, with as many decimals as it has (2 to 6).
    static QString costText(double cost);

private:
    static QVariant display(const ProviderMessage &m, int column, int role);
    static QVariant decoration(const ProviderMessage &m, int column, int role);

    QList<ProviderMessage> m_messages;
};

} // namespace ferry::console
