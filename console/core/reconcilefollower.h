#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

class QTimer;

namespace ferry::console {

class ApiClient;
struct ApiResponse;

// "Reconcile now": requests a run for a tenant (POST /v1/tenants/{tenant}/reconciliation), then
// follows it on the event loop (GET …/reconciliation?run=ID twice a second) until an agent's
// reconciler has finished it. Never blocks; gives up following after a while (the run stays
// requested).
class ReconcileFollower final : public QObject
{
    Q_OBJECT
public:
    explicit ReconcileFollower(ApiClient *client, QObject *parent = nullptr);
    ~ReconcileFollower() override;

    void start(const QString &tenant);
    void cancel();
    bool isRunning() const { return m_running; }
    QString tenant() const { return m_tenant; }
    qint64 runId() const { return m_runId; }
    qint64 elapsedMs() const { return m_running ? m_since.elapsed() : 0; }

Q_SIGNALS:
    // The run as the agent last reported it, while it is waiting or running.
    void progress(const QJsonObject &run);
    void finished(const QJsonObject &run);
    void failed(const QString &message);

private:
    void onRequested(const ApiResponse &r);
    void poll();
    void onReport(const ApiResponse &r);
    void stop();
    void fail(const QString &message);

    ApiClient *m_client;
    QTimer *m_poll;
    QString m_tenant;
    qint64 m_runId = 0;
    QElapsedTimer m_since;
    quint64 m_generation = 0;
    bool m_running = false;
};

} // namespace ferry::console
