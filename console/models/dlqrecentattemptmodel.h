#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

class QJsonObject;

namespace ferry::console {

// The attempts of a triage group's newest dead deliveries (each as GET /v1/deliveries/{id}
// shows it, "attempt_log"), newest first: when, which delivery, the attempt's number, outcome,
// status code and error.
class DlqRecentAttemptModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StartedAt, Delivery, Attempt, Outcome, StatusCode, Error, ColumnCount };

    struct Row
    {
        QString deliveryId;
        int attempt = 0;
        QDateTime startedAt;
        QString outcome;
        int statusCode = 0;
        QString error;
    };

    explicit DlqRecentAttemptModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // The deliveries' attempts, newest first.
    void setDeliveries(const QList<QJsonObject> &deliveries);
    void clear();
    const Row &row(int i) const { return m_rows.at(i); }

private:
    QList<Row> m_rows;
};

} // namespace ferry::console
