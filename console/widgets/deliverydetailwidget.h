#pragma once

#include <QWidget>

class QJsonObject;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace ferry::console {

class ApiClient;
class AttemptModel;

// One delivery as GET /v1/deliveries/{id} shows it: summary, every attempt, notes, the
// event's payload, pretty-printed, and the request headers each attempt sent. Used by the DLQ inbox
// and the delivery trace.
class DeliveryDetailWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit DeliveryDetailWidget(ApiClient *client, QWidget *parent = nullptr);

    void showDelivery(const QString &id);
    void clear();
    QString deliveryId() const { return m_id; }
    AttemptModel *attempts() const { return m_attempts; }
    QString headersText() const;

Q_SIGNALS:
    void loaded(const QJsonObject &delivery);

private:
    void render(const QJsonObject &d);

    ApiClient *m_client;
    QString m_id;
    QLabel *m_summary;
    QTableView *m_attemptView;
    AttemptModel *m_attempts;
    QPlainTextEdit *m_notes;
    QPlainTextEdit *m_payload;
    QPlainTextEdit *m_headers;
};

} // namespace ferry::console
