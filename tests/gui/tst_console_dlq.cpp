// The DLQ inbox and the delivery trace against a real agent: a delivery that died while its
// receiver was down is replayed from the inbox, leaves the list at once and the agent's DLQ,
// and reaches the receiver; replay by filter asks with the dry-run count first; a viewer token
// cannot act; the models pass QAbstractItemModelTester.
#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/attemptmodel.h"
#include "console/models/deliverysearchmodel.h"
#include "console/models/dlqfiltermodel.h"
#include "console/models/dlqmodel.h"
#include "console/widgets/deliverydetailwidget.h"
#include "console/widgets/dlqwidget.h"
#include "console/widgets/tracewidget.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QUrlQuery>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::DlqModel;
using console::Role;

class TestConsoleDlq : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    std::unique_ptr<test::Process> m_receiver;
    quint16 m_receiverPort = 0;
    QString m_producerToken;
    QString m_secret;

    int deadCount()
    {
        return m_agent->db()
            .scalar(u"SELECT count(*) FROM deliveries WHERE state = 'dead'"_s)
            .toInt();
    }

    QJsonObject receiverStats()
    {
        test::HttpRequest r;
        r.method = "GET";
        r.url = u"http://127.0.0.1:%1/stats"_s.arg(m_receiverPort);
        return QJsonDocument::fromJson(test::http(r).body).object();
    }

    // Waits until the inbox lists `rows` deliveries (refreshing it meanwhile).
    bool waitForRows(console::DlqWidget &inbox, int rows)
    {
        for (int i = 0; i < 100; ++i) {
            inbox.refresh();
            if (QTest::qWaitFor([&] { return inbox.model()->rowCount() == rows; }, 300))
                return true;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_dlq"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        m_producerToken = test::createTenant(m_agent->db().url(), u"shop"_s);
        QVERIFY(!m_producerToken.isEmpty());
        m_receiverPort = test::freePort();
        m_secret = test::addEndpoint(m_agent->db().url(), u"shop"_s,
                                     u"http://127.0.0.1:%1/hook"_s.arg(m_receiverPort));
        QVERIFY(!m_secret.isEmpty());
        // One attempt only: with the receiver down, a delivery dies at once.
        QVERIFY2(m_agent->start({{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"1"_s}}),
                 qPrintable(m_agent->output()));
        for (const QString &id : {u"order-1"_s, u"order-2"_s, u"order-3"_s})
            QCOMPARE(test::publish(m_agent->httpPort(), m_producerToken, id), 202);
        QTRY_COMPARE_WITH_TIMEOUT(deadCount(), 3, 30000);
        m_receiver = std::make_unique<test::Process>(
            test::receiverBinary(),
            QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_receiverPort), u"--secret"_s,
                        m_secret});
        QVERIFY(m_receiver->start());
    }

    void cleanupTestCase()
    {
        if (m_receiver)
            m_receiver->terminate();
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void replaySelectedLeavesTheDlqAndReachesTheReceiver()
    {
        auto client = m_agent->connectedClient(u"operator"_s);
        console::DlqWidget inbox(client.get());
        QAbstractItemModelTester modelTester(
            inbox.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            inbox.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), ApiClient::State::Connected, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(client->role(), Role::Operator, 20000);
        QVERIFY(waitForRows(inbox, 3));
        // The inbox opens by cause: the age of its groups, loaded beside the list.
        QTRY_VERIFY_WITH_TIMEOUT(inbox.dataTime().isValid(), 20000);

        // The detail pane shows the event and the failed attempt.
        const QString id = inbox.model()->item(0).id;
        QCOMPARE(inbox.model()->item(0).tenant, u"shop"_s);
        QCOMPARE(inbox.model()->item(0).triageStatus, u"new"_s);
        inbox.selectIds({id});
        QCOMPARE(inbox.selectedIds(), QStringList{id});
        QTRY_COMPARE_WITH_TIMEOUT(inbox.detail()->attempts()->rowCount(), 1, 20000);
        // The detail names the headers each attempt sent: the webhook id is the delivery's, and
        // the signature is never shown.
        const QString headers = inbox.detail()->headersText();
        QVERIFY2(headers.contains(u"webhook-id: "_s + id), qPrintable(headers));
        QVERIFY2(headers.contains(u"Content-Type: application/cloudevents+json"_s),
                 qPrintable(headers));
        QVERIFY2(headers.contains(u"webhook-signature: v1,(HMAC"_s), qPrintable(headers));

        // Filters narrow the list at once.
        inbox.proxy()->setTenant(u"nobody"_s);
        QCOMPARE(inbox.proxy()->rowCount(), 0);
        inbox.proxy()->setTenant(u"shop"_s);
        QCOMPARE(inbox.proxy()->rowCount(), 3);
        inbox.proxy()->setTriageStatus(u"resolved"_s);
        QCOMPARE(inbox.proxy()->rowCount(), 0);
        inbox.proxy()->setTriageStatus({});
        inbox.selectIds({id});

        // Replay: the row leaves the list at once, the agent's DLQ no longer has it, and the
        // receiver gets the event.
        const qint64 before = receiverStats().value("deliveries"_L1).toInteger();
        inbox.replaySelected();
        QTRY_COMPARE_WITH_TIMEOUT(inbox.model()->rowCount(), 2, 20000);
        QVERIFY(inbox.model()->rowOf(id) < 0);
        QVERIFY2(inbox.feedback().contains(u"queued"_s), qPrintable(inbox.feedback()));
        QTRY_COMPARE_WITH_TIMEOUT(
            m_agent->db().scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(id)),
            u"succeeded"_s, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(receiverStats().value("deliveries"_L1).toInteger() > before,
                                 20000);
        bool listed = true;
        client->get(u"/v1/dlq"_s, {}, nullptr, [&](const console::ApiResponse &r) {
            listed = false;
            for (const auto &v : r.object.value("items"_L1).toArray())
                listed = listed || v.toObject().value("id"_L1).toString() == id;
        });
        QTRY_VERIFY_WITH_TIMEOUT(!listed, 20000);
    }

    void notesDiscardAndReplayByFilter()
    {
        auto client = m_agent->connectedClient(u"operator"_s);
        console::DlqWidget inbox(client.get());
        QTRY_COMPARE_WITH_TIMEOUT(client->role(), Role::Operator, 20000);
        QVERIFY(waitForRows(inbox, 2));
        const QString first = inbox.model()->item(0).id;

        // Discard with a reason: asked for in a dialog, then gone from the list and the DLQ.
        inbox.selectIds({first});
        inbox.discardSelected();
        QInputDialog *reason = nullptr;
        QTRY_VERIFY((reason = inbox.findChild<QInputDialog *>()) != nullptr);
        reason->setTextValue(u"order cancelled"_s);
        reason->accept();
        QTRY_COMPARE_WITH_TIMEOUT(inbox.model()->rowCount(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_agent->db().scalar(u"SELECT state FROM deliveries WHERE id = '%1'"_s.arg(first)),
            u"discarded"_s, 20000);

        // Replay by filter: the confirmation states the dry-run count; nothing moves before.
        inbox.replayByFilter();
        QMessageBox *confirm = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((confirm = inbox.findChild<QMessageBox *>()) != nullptr, 20000);
        QVERIFY2(confirm->text().contains(u"current filters: 1."_s), qPrintable(confirm->text()));
        QCOMPARE(deadCount(), 1);
        confirm->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(deadCount(), 0, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(inbox.model()->rowCount(), 0, 20000);
    }

    void viewerCannotActAndTraceShowsAttempts()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        console::DlqWidget inbox(client.get());
        QTRY_COMPARE_WITH_TIMEOUT(client->role(), Role::Viewer, 20000);
        for (QAction *a : inbox.screenActions()) {
            if (a->shortcut() != QKeySequence::Refresh)
                QVERIFY2(!a->isEnabled(), qPrintable(a->text()));
        }
        // The agent refuses too, and the inbox says why.
        const QString id =
            m_agent->db().scalar(u"SELECT id FROM deliveries ORDER BY created_at LIMIT 1"_s);
        inbox.model()->setItems(QJsonArray{QJsonObject{{u"id"_s, id}, {u"tenant"_s, u"shop"_s}}});
        inbox.selectIds({id});
        inbox.replaySelected();
        QTRY_VERIFY_WITH_TIMEOUT(inbox.feedback().contains(u"role"_s), 20000);
        QCOMPARE(inbox.model()->rowCount(), 1);

        // Trace by delivery id: the attempts of the replayed delivery (failed, then succeeded).
        console::TraceWidget trace(client.get());
        QAbstractItemModelTester attemptsTester(
            trace.detail()->attempts(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester resultsTester(
            trace.results(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString replayed =
            m_agent->db().scalar(u"SELECT id FROM deliveries WHERE state = 'succeeded' LIMIT 1"_s);
        trace.search(console::TraceWidget::SearchBy::DeliveryId, replayed);
        QTRY_COMPARE_WITH_TIMEOUT(trace.detail()->attempts()->rowCount(), 2, 20000);
        QVERIFY(trace.dataTime().isValid());
        // Search by event id needs GET /v1/deliveries (the contract's search route).
        const QString eventId = m_agent->db().scalar(
            u"SELECT event_id FROM deliveries WHERE id = '%1'"_s.arg(replayed));
        trace.search(console::TraceWidget::SearchBy::EventId, eventId);
        QTRY_VERIFY_WITH_TIMEOUT(!trace.message().contains(u"Searching"_s), 20000);
        if (trace.message().contains(u"GET /v1/deliveries"_s)) {
            QCOMPARE(trace.results()->rowCount(), 0);
        } else {
            QCOMPARE(trace.results()->rowCount(), 1);
            QCOMPARE(trace.results()->idAt(0), replayed);
        }
    }
};

QTEST_MAIN(TestConsoleDlq)
#include "tst_console_dlq.moc"
