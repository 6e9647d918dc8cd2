#pragma once

#include <QDateTime>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace ferry::console {

class ApiClient;
class DeliveryDetailWidget;
class DeliverySearchModel;

// Delivery trace: find deliveries by delivery id (GET /v1/deliveries/{id}), event id or
// partition key (GET /v1/deliveries?event_id=…|partition_key=…) and show every attempt.
class TraceWidget final : public QWidget
{
    Q_OBJECT
public:
    enum class SearchBy { DeliveryId, EventId, PartitionKey };

    explicit TraceWidget(ApiClient *client, QWidget *parent = nullptr);

    DeliverySearchModel *results() const { return m_results; }
    DeliveryDetailWidget *detail() const { return m_detail; }
    QDateTime dataTime() const { return m_dataTime; }
    QString message() const;

public Q_SLOTS:
    void search(ferry::console::TraceWidget::SearchBy by, const QString &text);
    void focusSearch();

Q_SIGNALS:
    void updated();

private:
    void searchFromInput();
    void setMessage(const QString &text);

    ApiClient *m_client;
    QComboBox *m_by;
    QLineEdit *m_input;
    QLabel *m_message;
    QTableView *m_view;
    DeliverySearchModel *m_results;
    DeliveryDetailWidget *m_detail;
    QDateTime m_dataTime;
};

} // namespace ferry::console
