// The dashboard's ring buffer and figures, on snapshots shaped as the contract's /v1/live
// messages: 15 minutes kept and no more, oldest first, tenant and channel filters, and the
// charts of the dashboard widget follow with one point per snapshot.
#include "console/core/livehistory.h"
#include "console/widgets/dashboardwidget.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using Metric = console::LiveHistory::Metric;

namespace {

QJsonObject snapshot(int second, double acmeOk, double acmeFailed, double shopOk, double lagAcme)
{
    const QDateTime at = QDateTime(QDate(2026, 11, 27), QTime(10, 0), Qt::UTC).addSecs(second);
    const auto channel = [](const QString &tenant, double ok, double failed) {
        return QJsonObject{{u"channel"_s, u"webhook"_s},
                           {u"endpoint"_s, 1},
                           {u"tenant"_s, tenant},
                           {u"success_per_s"_s, ok},
                           {u"failure_per_s"_s, failed}};
    };
    const double ok = acmeOk + shopOk;
    return {{u"type"_s, u"snapshot"_s},
            {u"at"_s, at.toString(Qt::ISODateWithMs)},
            {u"interval_ms"_s, 1000},
            {u"agent"_s, QJsonObject{{u"version"_s, u"0.1.0"_s}}},
            {u"events_in_per_s"_s, 100.0 + second},
            {u"deliveries_out_per_s"_s, ok},
            {u"failures_per_s"_s, acmeFailed},
            {u"failure_rate"_s, acmeFailed / (ok + acmeFailed)},
            {u"dlq_size"_s, second},
            {u"lag"_s, QJsonArray{QJsonObject{{u"tenant"_s, u"acme"_s},
                                              {u"channel"_s, u"webhook"_s},
                                              {u"oldest_due_age_s"_s, lagAcme}},
                                  QJsonObject{{u"tenant"_s, u"shop"_s},
                                              {u"channel"_s, u"sms"_s},
                                              {u"oldest_due_age_s"_s, 0.5}}}},
            {u"channels"_s,
             QJsonArray{channel(u"acme"_s, acmeOk, acmeFailed), channel(u"shop"_s, shopOk, 0)}}};
}

} // namespace

class TestConsoleLiveHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsFifteenMinutesOldestFirst()
    {
        console::LiveHistory history(900);
        for (int s = 0; s < 1000; ++s)
            history.add(snapshot(s, 10, 0, 5, 1));
        QCOMPARE(history.size(), 900);
        const QList<QPointF> points = history.series(Metric::EventsIn);
        QCOMPARE(points.size(), 900);
        // The oldest kept is second 100, 899 s before the newest (second 999).
        QCOMPARE(points.first(), QPointF(-899, 200));
        QCOMPARE(points.last(), QPointF(0, 1099));
        QCOMPARE(history.latest(Metric::DlqSize), 999.0);
    }

    void filtersByTenantAndChannel()
    {
        console::LiveHistory history;
        history.add(snapshot(0, 30, 10, 60, 4.5));
        QCOMPARE(history.latest(Metric::DeliveriesOut), 90.0);
        QCOMPARE(history.latest(Metric::Lag), 4.5);
        QCOMPARE(history.tenants(), (QStringList{u"acme"_s, u"shop"_s}));
        QCOMPARE(history.channels(), (QStringList{u"sms"_s, u"webhook"_s}));

        history.setFilter(u"acme"_s, {});
        QCOMPARE(history.latest(Metric::DeliveriesOut), 30.0);
        QCOMPARE(history.latest(Metric::FailureRate), 0.25); // 10 of 40 attempts
        QCOMPARE(history.latest(Metric::Lag), 4.5);
        history.setFilter(u"shop"_s, {});
        QCOMPARE(history.latest(Metric::DeliveriesOut), 60.0);
        QCOMPARE(history.latest(Metric::FailureRate), 0.0);
        QCOMPARE(history.latest(Metric::Lag), 0.5);
        history.setFilter({}, u"sms"_s);
        QCOMPARE(history.latest(Metric::DeliveriesOut), 0.0);
        QCOMPARE(history.latest(Metric::Lag), 0.5);
        // Figures the snapshot has for all tenants only stay as they are.
        QVERIFY(console::LiveHistory::isGlobalOnly(Metric::EventsIn));
        QCOMPARE(history.latest(Metric::EventsIn), 100.0);
    }

    void dashboardChartsFollowTheSnapshots()
    {
        console::DashboardWidget dashboard;
        for (int s = 0; s < 5; ++s)
            dashboard.addSnapshot(snapshot(s, 10, 1, 5, 2));
        QCOMPARE(dashboard.updates(), 5);
        QVERIFY(dashboard.dataTime().isValid());
        QCOMPARE(dashboard.history().series(Metric::Lag).size(), 5);
        dashboard.setFilter(u"acme"_s, u"webhook"_s);
        QCOMPARE(dashboard.history().latest(Metric::DeliveriesOut), 10.0);
        dashboard.clear();
        QCOMPARE(dashboard.history().size(), 0);
    }
};

QTEST_MAIN(TestConsoleLiveHistory)
#include "tst_console_livehistory.moc"
