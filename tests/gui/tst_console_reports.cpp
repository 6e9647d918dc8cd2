// Report export against a real agent: the CSV's totals equal the API's (a direct GET of
// /v1/reports/deliveries), the PDF's text (pdftotext) holds each tenant with its totals, an
// export can be cancelled without leaving a file, and a viewer token cannot export (the screen
// is hidden and disabled, and the agent's refusal is shown when asked anyway).
#include "console/core/apiclient.h"
#include "console/core/reportexporter.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/widgets/mainwindow.h"
#include "console/widgets/reportswidget.h"
#include "tests/gui/consoletestagent.h"

#include <QAction>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QNetworkReply>
#include <QProcess>
#include <QProgressDialog>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::ApiClient;
using console::ReportExporter;
using console::Role;

class TestConsoleReports : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    std::unique_ptr<test::Process> m_receiver;
    QTemporaryDir m_out;

    int count(const QString &tenant, const QString &state)
    {
        return m_agent->db()
            .scalar(
                u"SELECT count(*) FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id "
                "JOIN tenants t ON t.id = e.tenant_id WHERE t.name = '%1' AND d.state = '%2'"_s.arg(
                    tenant, state))
            .toInt();
    }

    // The report straight from the API, as JSON.
    QJsonObject apiReport(const QString &tenant, const QDateTime &from, const QDateTime &to)
    {
        QUrlQuery q;
        q.addQueryItem(u"tenant"_s, tenant);
        q.addQueryItem(u"from"_s, from.toUTC().toString(Qt::ISODateWithMs));
        q.addQueryItem(u"to"_s, to.toUTC().toString(Qt::ISODateWithMs));
        test::HttpRequest r;
        r.method = "GET";
        r.url = u"https://127.0.0.1:%1/v1/reports/deliveries?%2"_s.arg(m_agent->apiPort())
                    .arg(q.toString(QUrl::FullyEncoded));
        r.caFile = m_agent->certFile();
        r.headers = {{"Authorization", "Bearer " + m_agent->token(u"admin"_s).toUtf8()}};
        const test::HttpResponse response = test::http(r, 10000);
        if (response.status != 200)
            qWarning() << "report" << response.status << response.body;
        return QJsonDocument::fromJson(response.body).object();
    }

    // A reports screen of an admin token, its tenants listed and all chosen, period around now.
    bool prepareScreen(console::ReportsWidget &screen, ApiClient &client)
    {
        if (!QTest::qWaitFor([&] { return client.role() == Role::Admin; }, 20000))
            return false;
        screen.setRole(client.role());
        screen.refresh();
        if (!QTest::qWaitFor([&] { return screen.tenants().size() == 2; }, 20000))
            return false;
        screen.setChosenTenants({u"billing"_s, u"shop"_s});
        const QDateTime now = QDateTime::currentDateTimeUtc();
        screen.setPeriod(now.addSecs(-3600), now.addSecs(3600));
        return true;
    }

    // Exports what the screen has chosen to a file in m_out; true once written.
    bool exportTo(console::ReportsWidget &screen, ReportExporter::Format format,
                  const QString &path)
    {
        QSignalSpy done(&screen, &console::ReportsWidget::exportFinished);
        screen.exportTo(format, path);
        if (!done.wait(30000))
            return false;
        if (!done.at(0).at(0).toBool())
            qWarning().noquote() << done.at(0).at(1).toString();
        return done.at(0).at(0).toBool();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_out.isValid());
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_reports"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QString shop;
        QString billing;
        m_receiver = m_agent->addShopAndBilling(&shop, &billing);
        QVERIFY(m_receiver);
        QVERIFY2(m_agent->start({{u"FERRY_RETRY_MAX_ATTEMPTS"_s, u"1"_s}}),
                 qPrintable(m_agent->output()));
        for (int i = 1; i <= 7; ++i)
            QCOMPARE(test::publish(m_agent->httpPort(), shop, u"shop-%1"_s.arg(i)), 202);
        for (int i = 1; i <= 3; ++i)
            QCOMPARE(test::publish(m_agent->httpPort(), billing, u"billing-%1"_s.arg(i)), 202);
        QTRY_COMPARE_WITH_TIMEOUT(count(u"shop"_s, u"succeeded"_s), 7, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(count(u"billing"_s, u"dead"_s), 3, 30000);
    }

    void cleanupTestCase()
    {
        if (m_receiver)
            m_receiver->terminate();
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void csvTotalsEqualTheApi()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        console::ReportsWidget screen(client.get());
        QVERIFY(prepareScreen(screen, *client));
        const QString path = m_out.filePath(u"report.csv"_s);
        QVERIFY(exportTo(screen, ReportExporter::Format::Csv, path));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.first().trimmed(), "tenant,from,to,channel,state,deliveries,cost");
        QHash<QString, qint64> totals;
        QHash<QString, qint64> sums;
        for (const QByteArray &line : lines.mid(1)) {
            const QList<QByteArray> f = line.trimmed().split(',');
            QCOMPARE(f.size(), 7);
            QVERIFY2(f.at(0) != "tenant", "one header for all tenants");
            if (f.at(3) == "all" && f.at(4) == "all")
                totals.insert(QString::fromUtf8(f.at(0)), f.at(5).toLongLong());
            else
                sums[QString::fromUtf8(f.at(0))] += f.at(5).toLongLong();
        }
        QCOMPARE(totals.size(), 2);
        for (const QString &tenant : {u"shop"_s, u"billing"_s}) {
            const QJsonObject api = apiReport(tenant, screen.from(), screen.to());
            QVERIFY(api.contains("total"_L1));
            QCOMPARE(totals.value(tenant), qint64(api.value("total"_L1).toDouble()));
            QCOMPARE(sums.value(tenant), totals.value(tenant));
        }
        QCOMPARE(totals.value(u"shop"_s), 7);
        QCOMPARE(totals.value(u"billing"_s), 3);
    }

    void pdfHoldsEachTenantAndItsTotals()
    {
        const QString pdftotext = QStandardPaths::findExecutable(u"pdftotext"_s);
        QVERIFY2(!pdftotext.isEmpty(),
                 "pdftotext is missing: install poppler-utils (scripts/install-deps.sh)");
        auto client = m_agent->connectedClient(u"admin"_s);
        console::ReportsWidget screen(client.get());
        QVERIFY(prepareScreen(screen, *client));
        const QString path = m_out.filePath(u"report.pdf"_s);
        QVERIFY(exportTo(screen, ReportExporter::Format::Pdf, path));

        QProcess p;
        p.start(pdftotext, {u"-layout"_s, path, u"-"_s});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QString text = QString::fromUtf8(p.readAllStandardOutput());
        const QStringList pages = text.split(u'\f', Qt::SkipEmptyParts);
        QVERIFY2(pages.size() >= 2, qPrintable(text));
        for (const QString &tenant : {u"shop"_s, u"billing"_s}) {
            const QJsonObject api = apiReport(tenant, screen.from(), screen.to());
            const QString total = QLocale().toString(qint64(api.value("total"_L1).toDouble()));
            const QString page =
                pages.value(screen.chosenTenants().indexOf(tenant)); // a page per tenant, in order
            QVERIFY2(page.contains(u"Deliveries report: "_s + tenant), qPrintable(page));
            QVERIFY2(page.contains(QRegularExpression(u"Total\\s+all\\s+%1\\b"_s.arg(total))),
                     qPrintable(page));
            QVERIFY2(page.contains(u"Deliveries by state"_s), qPrintable(page));
        }
        QVERIFY(pages.at(0).contains(QRegularExpression(u"dead\\s+3\\b"_s)));
        QVERIFY(pages.at(1).contains(QRegularExpression(u"succeeded\\s+7\\b"_s)));
    }

    void cancelledExportWritesNoFile()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        console::ReportsWidget screen(client.get());
        QVERIFY(prepareScreen(screen, *client));
        const QString path = m_out.filePath(u"cancelled.pdf"_s);
        QSignalSpy done(&screen, &console::ReportsWidget::exportFinished);
        screen.exportTo(ReportExporter::Format::Pdf, path);
        QVERIFY(screen.progressDialog() != nullptr);
        QVERIFY(screen.exporter()->isRunning());
        // The report's request is on its way when the export is cancelled.
        const auto reportRequests = [&client] {
            int n = 0;
            for (const QNetworkReply *r : client->findChildren<QNetworkReply *>())
                n += r->url().path() == "/v1/reports/deliveries"_L1 ? 1 : 0;
            return n;
        };
        QCOMPARE(reportRequests(), 1);
        auto *cancel = screen.progressDialog()->findChild<QPushButton *>();
        QVERIFY(cancel);
        cancel->click();
        QCOMPARE(done.size(), 1);
        QCOMPARE(done.at(0).at(0).toBool(), false);
        QVERIFY(!screen.exporter()->isRunning());
        // Its answer arrives and is handled (the reply is deleted after its callback ran): it
        // was dropped, and wrote no file.
        QTRY_COMPARE_WITH_TIMEOUT(reportRequests(), 0, 20000);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(done.size(), 1);
    }

    void viewerCannotExport()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        QTRY_COMPARE_WITH_TIMEOUT(client->role(), Role::Viewer, 20000);

        // The screen: exports disabled, and refused without a request.
        console::ReportsWidget screen(client.get());
        screen.setRole(Role::Viewer);
        QVERIFY(!screen.mayExport());
        for (QAction *a : screen.screenActions()) {
            if (a->text().contains(u"Export"_s))
                QVERIFY(!a->isEnabled());
        }
        const QString path = m_out.filePath(u"viewer.csv"_s);
        screen.exportTo(ReportExporter::Format::Csv, path);
        QVERIFY(screen.feedback().contains(u"admin"_s));
        QVERIFY(!QFile::exists(path));

        // The agent refuses it too, and the refusal is reported, not a broken file.
        ReportExporter exporter(client.get());
        QSignalSpy done(&exporter, &ReportExporter::finished);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        exporter.start({u"shop"_s}, now.addSecs(-3600), now, ReportExporter::Format::Csv, path);
        QVERIFY(done.wait(20000));
        QCOMPARE(done.at(0).at(0).toBool(), false);
        QVERIFY2(done.at(0).at(1).toString().contains(u"admin token"_s),
                 qPrintable(done.at(0).at(1).toString()));
        QVERIFY(!QFile::exists(path));
    }

    void reportsScreenOnlyForAdmins()
    {
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        for (const auto &[role, expected] :
             {std::pair{u"viewer"_s, Role::Viewer}, std::pair{u"admin"_s, Role::Admin}}) {
            console::MainWindow window(&tokens);
            window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(role), false);
            QTRY_COMPARE_WITH_TIMEOUT(window.client()->role(), expected, 20000);
            QCOMPARE(window.isScreenAvailable(console::MainWindow::Reports),
                     expected == Role::Admin);
            window.showScreen(console::MainWindow::Reports);
            QCOMPARE(window.findChild<QTabWidget *>()->currentWidget() == window.reports(),
                     expected == Role::Admin);
        }
    }
};

QTEST_MAIN(TestConsoleReports)
#include "tst_console_reports.moc"
