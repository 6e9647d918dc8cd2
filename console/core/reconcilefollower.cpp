#include "console/core/reconcilefollower.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"

#include <QJsonArray>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

constexpr int kPollMs = 500;
constexpr int kRunsLooked = 50;    // the run is among the tenant's newest
constexpr int kTimeoutMs = 120000; // then the run stays requested, no longer followed

QString reportPath(const QString &tenant)
{
    return u"/v1/tenants/%1/reconciliation"_s.arg(tenant);
}

} // namespace

ReconcileFollower::ReconcileFollower(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_poll(new QTimer(this))
{
    m_poll->setSingleShot(true);
    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &ReconcileFollower::poll);
}

ReconcileFollower::~ReconcileFollower() = default;

void ReconcileFollower::start(const QString &tenant)
{
    if (m_running)
        return;
    m_running = true;
    m_tenant = tenant;
    m_runId = 0;
    m_since.start();
    const quint64 generation = ++m_generation;
    m_client->post(reportPath(tenant), {}, this, [this, generation](const ApiResponse &r) {
        if (generation == m_generation)
            onRequested(r);
    });
}

void ReconcileFollower::onRequested(const ApiResponse &r)
{
    if (!r.ok()) {
        fail(tr("Could not start a reconciliation run. %1").arg(r.message()));
        return;
    }
    m_runId = r.object.value("id"_L1).toInteger();
    if (r.object.value("state"_L1).toString() == "finished"_L1) {
        stop();
        Q_EMIT finished(r.object);
        return;
    }
    Q_EMIT progress(r.object);
    m_poll->start();
}

void ReconcileFollower::poll()
{
    if (m_since.elapsed() > kTimeoutMs) {
        fail(tr("Run %1 has not finished after %n second(s). It stays requested: an agent's "
                "reconciler takes it when it can; refresh later, and check that an agent is "
                "running.",
                "", kTimeoutMs / 1000)
                 .arg(m_runId));
        return;
    }
    QUrlQuery query;
    query.addQueryItem(u"run"_s, QString::number(m_runId));
    query.addQueryItem(u"limit"_s, QString::number(kRunsLooked));
    const quint64 generation = m_generation;
    m_client->get(reportPath(m_tenant), query, this, [this, generation](const ApiResponse &r) {
        if (generation == m_generation)
            onReport(r);
    });
}

void ReconcileFollower::onReport(const ApiResponse &r)
{
    // No answer, or the agent is busy: keep following until the time is up.
    if (!r.ok() && r.status != 0 && r.status != 503) {
        fail(tr("Could not follow run %1. %2").arg(QString::number(m_runId), r.message()));
        return;
    }
    for (const QJsonValue &v : r.object.value("runs"_L1).toArray()) {
        const QJsonObject run = v.toObject();
        if (run.value("id"_L1).toInteger() != m_runId)
            continue;
        if (run.value("state"_L1).toString() == "finished"_L1) {
            stop();
            Q_EMIT finished(run);
            return;
        }
        Q_EMIT progress(run);
    }
    m_poll->start();
}

void ReconcileFollower::cancel()
{
    stop();
}

void ReconcileFollower::stop()
{
    ++m_generation;
    m_poll->stop();
    m_running = false;
}

void ReconcileFollower::fail(const QString &message)
{
    stop();
    Q_EMIT failed(message);
}

} // namespace ferry::console
