#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>

namespace ferry::console {

// A delivery's attempts, as GET /v1/deliveries/{id} lists them in "attempt_log".
class AttemptModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Attempt, StartedAt, Outcome, StatusCode, Duration, Error, ColumnCount };

    explicit AttemptModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setAttempts(const QJsonArray &attempts);

private:
    QJsonArray m_attempts;
};

} // namespace ferry::console
