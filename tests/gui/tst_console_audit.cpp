// The Administration screen's Audit log and Agents pages against a real agent. Audit log:
// changes made through the API in two tenants (and many older price changes seeded in the
// database) are listed newest first; choosing a tenant, typing an actor, an action family and a
// time span and pressing Apply narrows the rows as a user expects; the selected entry's details
// show in full below; "Load more" brings the next page until every match is shown. Export CSV…
// writes every matching entry (more than one page of the API) and the file equals the API's CSV;
// a cancelled export leaves no file (and an existing one untouched). A tenant's admin sees only
// its tenant; a viewer sees a message naming the token the page needs. Agents: a second agent
// on the same database shows beside the first with version and uptime, the console's own marked
// "current"; killed, it is shown gone once its heartbeats lapse; a different version is
// highlighted with a tooltip naming both. Screenshots (FERRY_SCREENSHOT_DIR): admin-audit.png,
// admin-agents.png and, in German, admin-audit-de.png. The models pass QAbstractItemModelTester.
#include "console/core/apiclient.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/models/admin/agentmodel.h"
#include "console/models/admin/auditexporter.h"
#include "console/models/admin/auditlogmodel.h"
#include "console/widgets/admin/adminwidget.h"
#include "console/widgets/admin/agentspage.h"
#include "console/widgets/admin/auditlogpage.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"
#include "console/widgets/tenantpicker.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::AgentModel;
using console::AgentsPage;
using console::AuditLogModel;
using console::AuditLogPage;
using console::Role;

namespace {

// The price changes seeded for shop: more than one page of the export (1000 rows a request).
constexpr int kSeededPrices = 1150;

QStringList column(const QAbstractItemModel *m, int column)
{
    QStringList texts;
    for (int row = 0; row < m->rowCount(); ++row)
        texts.append(m->index(row, column).data().toString());
    return texts;
}

QStringList distinct(QStringList list)
{
    list.removeDuplicates();
    list.sort();
    return list;
}

} // namespace

class TestConsoleAudit : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    QByteArray m_shopAdmin;   // an admin token of tenant shop, made over the API
    qint64 m_shopAdminId = 0; // its id: its changes' actor is api:token/<id>
    QTemporaryDir m_files;

    test::HttpResponse api(const QByteArray &method, const QString &path,
                           const QByteArray &body = {}, const QByteArray &token = {})
    {
        test::HttpRequest r;
        r.method = method;
        r.url = u"https://127.0.0.1:%1%2"_s.arg(m_agent->apiPort()).arg(path);
        r.caFile = m_agent->certFile();
        r.body = body;
        r.headers = {{"Content-Type", "application/json"},
                     {"Authorization",
                      "Bearer " + (token.isEmpty() ? m_agent->token(u"admin"_s).toUtf8() : token)}};
        return test::http(r, 10000);
    }

    QString sql(const QString &query) { return m_agent->db().scalar(query); }

    // Every entry the filter matches as the API's CSV, page after page.
    QByteArray apiCsv(const QUrlQuery &filter)
    {
        QByteArray all;
        QByteArray before;
        for (int page = 0; page < 20; ++page) {
            QUrlQuery q = filter;
            q.addQueryItem(u"format"_s, u"csv"_s);
            q.addQueryItem(u"limit"_s, u"1000"_s);
            if (!before.isEmpty())
                q.addQueryItem(u"before"_s, QString::fromLatin1(before));
            const auto r = api("GET", u"/v1/audit?"_s + q.toString(QUrl::FullyEncoded));
            if (r.status != 200)
                return "HTTP " + QByteArray::number(r.status) + ' ' + r.body;
            QList<QByteArray> records = console::csvRecords(r.body);
            const QByteArray header = records.takeFirst();
            if (all.isEmpty())
                all = header + "\r\n";
            for (const QByteArray &record : std::as_const(records))
                all += record + "\r\n";
            if (records.size() < 1000)
                break;
            before = records.last().left(records.last().indexOf(','));
        }
        return all;
    }

    std::unique_ptr<console::ApiClient> clientWith(const QString &token)
    {
        auto client = std::make_unique<console::ApiClient>();
        client->setProfile(m_agent->profile(m_agent->fingerprint()), token);
        client->connectToAgent();
        return client;
    }

    // A page of this client, its role applied and loaded (false when that did not happen).
    bool openAudit(AuditLogPage &page, console::ApiClient &client)
    {
        if (!QTest::qWaitFor([&] { return client.role() != Role::Unknown; }, 20000))
            return false;
        page.applyRole(client.role(), client.tenantScope());
        page.refresh();
        return QTest::qWaitFor([&] { return page.dataTime().isValid(); }, 20000);
    }

    // Apply pressed with the filter fields as they are; true once the answer is shown.
    bool apply(AuditLogPage &page)
    {
        const QDateTime before = page.dataTime();
        QTest::mouseClick(page.applyButton(), Qt::LeftButton);
        return QTest::qWaitFor([&] { return page.dataTime() > before; }, 20000);
    }

    void resetFilter(AuditLogPage &page)
    {
        page.tenantPicker()->setTenant(QString());
        page.actorEdit()->clear();
        page.actionCombo()->setEditText(QString());
        page.fromCheck()->setChecked(false);
        page.toCheck()->setChecked(false);
    }

    // Reloads the agents until `done` holds (each reload waits for its answer).
    bool reloadUntil(AgentsPage &page, const std::function<bool()> &done, int timeoutMs = 30000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < timeoutMs) {
            const QDateTime before = page.dataTime();
            page.refresh();
            if (!QTest::qWaitFor([&] { return page.dataTime() != before; }, 10000))
                return false;
            if (done())
                return true;
            QTest::qWait(250);
        }
        return false;
    }

    int rowOfPid(const AgentModel *m, qint64 pid)
    {
        for (int row = 0; row < m->rowCount(); ++row) {
            if (m->agent(row).pid == pid)
                return row;
        }
        return -1;
    }

    bool showAdminPage(console::MainWindow &window, console::AdminPage *page)
    {
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"admin"_s),
                         false);
        if (!QTest::qWaitFor([&] { return window.client()->role() != Role::Unknown; }, 20000))
            return false;
        window.showScreen(console::MainWindow::Admin);
        window.admin()->showPage(page);
        page->refresh();
        return QTest::qWaitFor([&] { return page->dataTime().isValid(); }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_audit"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QVERIFY(!test::createTenant(m_agent->db().url(), u"shop"_s).isEmpty());
        QVERIFY(!test::createTenant(m_agent->db().url(), u"billing"_s).isEmpty());
        QVERIFY(m_agent->start({{u"FERRY_AGENTS_HEARTBEAT"_s, u"1s"_s}}));

        // The tenants were made two days ago; older price changes of shop before them.
        QVERIFY(m_agent->db().exec(
            u"UPDATE audit_log SET at = now() - interval '2 days' WHERE action = 'tenant.create';"
            "INSERT INTO audit_log (at, actor, action, subject, tenant, details) "
            "SELECT now() - interval '3 days' + i * interval '1 second', 'cli', 'price.set', "
            "  'shop/price/sms', 'shop', jsonb_build_object('unit_cost', i, 'currency', 'EUR') "
            "FROM generate_series(1, %1) i"_s.arg(kSeededPrices)));

        // Changes through the API in both tenants.
        QCOMPARE(api("POST", u"/v1/tenants/shop/producers"_s, R"({"kind":"token"})").status, 201);
        QCOMPARE(api("POST", u"/v1/tenants/billing/producers"_s, R"({"kind":"token"})").status,
                 201);
        QCOMPARE(api("PUT", u"/v1/tenants/billing/schemas/invoice.paid/1"_s,
                     R"({"required":["id","amount"],"description":"paid invoices"})")
                     .status,
                 201);
        const auto made = api("POST", u"/v1/tokens"_s, R"({"role":"admin","tenant":"shop"})");
        QCOMPARE(made.status, 201);
        const QJsonObject token = QJsonDocument::fromJson(made.body).object();
        m_shopAdmin = token.value("token"_L1).toString().toUtf8();
        m_shopAdminId = token.value("id"_L1).toInteger();
        QCOMPARE(
            api("POST", u"/v1/tenants/shop/producers"_s, R"({"kind":"curve"})", m_shopAdmin).status,
            201);
    }

    void cleanupTestCase() { QVERIFY2(m_agent->stop(), qPrintable(m_agent->output().right(3000))); }

    void filtersNarrowTheRowsLikeAUser()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        AuditLogPage page(client.get());
        QAbstractItemModelTester tester(page.model());
        QVERIFY(openAudit(page, *client));
        // Newest first, a page at a time; the tenant picker offers every tenant.
        QCOMPARE(page.model()->rowCount(), AuditLogPage::kPageSize);
        QCOMPARE(page.model()->index(0, AuditLogModel::Action).data().toString(),
                 u"producer.add"_s);
        QTRY_COMPARE(page.tenantPicker()->tenants(), (QStringList{u"billing"_s, u"shop"_s}));

        // A tenant.
        page.tenantPicker()->setTenant(u"billing"_s);
        QVERIFY(apply(page));
        QCOMPARE(column(page.model(), AuditLogModel::Action),
                 (QStringList{u"schema.create"_s, u"producer_token.add"_s, u"tenant.create"_s}));
        QCOMPARE(distinct(column(page.model(), AuditLogModel::Tenant)), QStringList{u"billing"_s});

        // An action family, typed.
        resetFilter(page);
        page.actionCombo()->setEditText(u"producer_token.*"_s);
        QVERIFY(apply(page));
        QCOMPARE(distinct(column(page.model(), AuditLogModel::Tenant)),
                 (QStringList{u"billing"_s, u"shop"_s}));
        QCOMPARE(distinct(column(page.model(), AuditLogModel::Action)),
                 QStringList{u"producer_token.add"_s});

        // An actor: the shop admin's change alone.
        resetFilter(page);
        QTest::keyClicks(page.actorEdit(), u"token/%1"_s.arg(m_shopAdminId));
        QVERIFY(apply(page));
        QCOMPARE(column(page.model(), AuditLogModel::Action), QStringList{u"producer.add"_s});
        QCOMPARE(column(page.model(), AuditLogModel::Actor),
                 QStringList{u"api:token/%1"_s.arg(m_shopAdminId)});

        // Time: the tenants were made two days ago, the prices three.
        resetFilter(page);
        page.tenantPicker()->setTenant(u"shop"_s);
        page.fromCheck()->setChecked(true);
        page.fromEdit()->setDateTime(QDateTime::currentDateTime().addDays(-1));
        QVERIFY(apply(page));
        QCOMPARE(column(page.model(), AuditLogModel::Action),
                 (QStringList{u"producer.add"_s, u"token.create"_s, u"producer_token.add"_s}));
        page.fromEdit()->setDateTime(QDateTime::currentDateTime().addSecs(-60 * 60 * 60));
        page.toCheck()->setChecked(true);
        page.toEdit()->setDateTime(QDateTime::currentDateTime().addDays(-1));
        QVERIFY(apply(page));
        QCOMPARE(column(page.model(), AuditLogModel::Action), QStringList{u"tenant.create"_s});
        // Sent as UTC.
        const QDateTime sentFrom = QDateTime::fromString(
            page.appliedFilter().queryItemValue(u"since"_s), Qt::ISODateWithMs);
        QCOMPARE(sentFrom.timeSpec(), Qt::UTC);
        QCOMPARE(sentFrom, page.fromEdit()->dateTime());

        // The details of the selected entry, in full.
        resetFilter(page);
        page.actionCombo()->setEditText(u"schema.create"_s);
        QVERIFY(apply(page));
        QCOMPARE(page.model()->rowCount(), 1);
        // One line in the table ("after: {…}"), all of it below.
        QVERIFY(page.model()
                    ->index(0, AuditLogModel::Details)
                    .data()
                    .toString()
                    .startsWith("after: "_L1));
        page.view()->selectRow(0);
        const QString details = page.detailsView()->toPlainText();
        QVERIFY2(details.contains("\"paid invoices\""_L1) && details.count(u'\n') > 3,
                 qPrintable(details));
    }

    void loadMoreBringsTheNextPage()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        AuditLogPage page(client.get());
        QVERIFY(openAudit(page, *client));
        page.actionCombo()->setEditText(u"price.*"_s);
        QVERIFY(apply(page));
        QCOMPARE(page.model()->rowCount(), AuditLogPage::kPageSize);
        QVERIFY(page.loadMoreButton()->isEnabled());
        QTest::mouseClick(page.loadMoreButton(), Qt::LeftButton);
        QTRY_COMPARE(page.model()->rowCount(), 2 * AuditLogPage::kPageSize);
        // Newest first across the pages: the unit costs count down.
        QCOMPARE(page.model()->entry(0).details.value("unit_cost"_L1).toInt(), kSeededPrices);
        QCOMPARE(page.model()
                     ->entry(2 * AuditLogPage::kPageSize - 1)
                     .details.value("unit_cost"_L1)
                     .toInt(),
                 kSeededPrices - 2 * AuditLogPage::kPageSize + 1);
        // A reload keeps what was loaded.
        const QDateTime before = page.dataTime();
        page.refresh();
        QTRY_VERIFY(page.dataTime() > before);
        QCOMPARE(page.model()->rowCount(), 2 * AuditLogPage::kPageSize);
        // To the end: the button says there is no more.
        page.actorEdit()->setText(u"cli"_s);
        page.fromCheck()->setChecked(true);
        page.fromEdit()->setDateTime(
            QDateTime::currentDateTime().addDays(-3).addSecs(kSeededPrices - 180));
        QVERIFY(apply(page));
        const int matching =
            sql(u"SELECT count(*) FROM audit_log WHERE action LIKE 'price.%' AND actor = 'cli' "
                "AND at >= '%1'"_s.arg(page.appliedFilter().queryItemValue(u"since"_s)))
                .toInt();
        QVERIFY2(matching > AuditLogPage::kPageSize && matching < 2 * AuditLogPage::kPageSize,
                 qPrintable(QString::number(matching)));
        QTRY_VERIFY(page.loadMoreButton()->isEnabled());
        QTest::mouseClick(page.loadMoreButton(), Qt::LeftButton);
        QTRY_COMPARE(page.model()->rowCount(), matching);
        QVERIFY(!page.loadMoreButton()->isEnabled());
        QCOMPARE(page.loadMoreButton()->toolTip(), u"Every matching entry is shown."_s);
    }

    void exportWritesEveryMatchingEntry()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        AuditLogPage page(client.get());
        QVERIFY(openAudit(page, *client));
        page.tenantPicker()->setTenant(u"shop"_s);
        const QString path = m_files.filePath(u"shop.csv"_s);
        QSignalSpy done(page.exporter(), &console::AuditExporter::finished);
        page.exportTo(path);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
        QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
        QVERIFY(page.message().contains(path));

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QUrlQuery shop;
        shop.addQueryItem(u"tenant"_s, u"shop"_s);
        QCOMPARE(written, apiCsv(shop));
        // Every entry of shop: more than one page of the API, one header.
        QCOMPARE(console::csvRecords(written).size() - 1,
                 sql(u"SELECT count(*) FROM audit_log WHERE tenant = 'shop'"_s).toInt());
        QVERIFY(console::csvRecords(written).size() > console::AuditExporter::kPageSize + 1);
        QCOMPARE(written.count("id,at,actor"), 1);
    }

    void aCancelledExportLeavesNoFile()
    {
        auto client = m_agent->connectedClient(u"admin"_s);
        AuditLogPage page(client.get());
        QVERIFY(openAudit(page, *client));
        QTemporaryDir dir;
        const QString fresh = dir.filePath(u"fresh.csv"_s);
        const QString kept = dir.filePath(u"kept.csv"_s);
        {
            QFile old(kept);
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("old export\n");
        }
        for (const QString &path : {fresh, kept}) {
            QSignalSpy done(page.exporter(), &console::AuditExporter::finished);
            page.exportTo(path);
            QVERIFY(page.progressDialog());
            QVERIFY(!page.exportButton()->isEnabled()); // one export at a time
            // The dialog's Cancel (it shows only after half a second).
            page.progressDialog()->findChild<QPushButton *>()->click();
            QTRY_COMPARE(done.size(), 1);
            QCOMPARE(done.first().at(0).toBool(), false);
            QVERIFY(page.message().contains("cancelled"_L1));
            QVERIFY(page.exportButton()->isEnabled());
        }
        QVERIFY(!QFile::exists(fresh));
        QFile old(kept);
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("old export\n"));
        // No temporary file left behind either.
        QTest::qWait(200); // answers still on their way arrive and are dropped
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{u"kept.csv"_s});
    }

    void aTenantsAdminSeesItsTenantOnly()
    {
        auto client = clientWith(QString::fromLatin1(m_shopAdmin));
        AuditLogPage page(client.get());
        QVERIFY(openAudit(page, *client));
        QVERIFY(page.message().contains("shop"_L1));
        page.actionCombo()->setEditText(u"producer*"_s);
        QVERIFY(apply(page));
        QCOMPARE(column(page.model(), AuditLogModel::Tenant), (QStringList{u"shop"_s, u"shop"_s}));
        QTRY_COMPARE(page.tenantPicker()->tenants(), QStringList{u"shop"_s});
    }

    void aViewerSeesWhichTokenThePageNeeds()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        AuditLogPage page(client.get());
        QVERIFY(QTest::qWaitFor([&] { return client->role() != Role::Unknown; }, 20000));
        page.applyRole(client->role(), client->tenantScope());
        page.refresh();
        QVERIFY(page.message().contains("admin token"_L1));
        QVERIFY(page.message().contains("viewer"_L1));
        QCOMPARE(page.model()->rowCount(), 0);
        QVERIFY(!page.exportButton()->isEnabled());
        QVERIFY(page.exportButton()->toolTip().contains("admin token"_L1));
        QVERIFY(!page.applyButton()->isEnabled());
        QTest::qWait(300); // nothing was asked for, nothing arrives
        QVERIFY(!page.dataTime().isValid());
    }

    void agentsShowsBothAgentsAndMarksAGoneOne()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        QVERIFY(QTest::qWaitFor([&] { return client->role() != Role::Unknown; }, 20000));
        AgentsPage page(client.get());
        QAbstractItemModelTester tester(page.model());
        page.applyRole(client->role(), client->tenantScope());

        QTemporaryDir certs;
        QVERIFY(!m_agent->generateCertificate(certs.path()).isEmpty());
        auto second = m_agent->startImpostor(certs.path(), test::freePort(),
                                             {{u"FERRY_AGENTS_HEARTBEAT"_s, u"1s"_s}});
        QVERIFY(second);
        const AgentModel *m = page.model();
        QVERIFY(reloadUntil(page, [&] { return rowOfPid(m, second->pid()) >= 0; }));
        QCOMPARE(m->rowCount(), 2);
        const int other = rowOfPid(m, second->pid());
        const int mine = 1 - other;
        for (int row : {mine, other}) {
            QCOMPARE(m->index(row, AgentModel::Version).data().toString(), client->agentVersion());
            QVERIFY(!m->index(row, AgentModel::Uptime).data().toString().isEmpty());
            QCOMPARE(m->index(row, AgentModel::State).data().toString(), u"alive"_s);
            QVERIFY(!m->index(row, AgentModel::Heartbeat).data().toString().isEmpty());
        }
        QCOMPARE(m->index(mine, AgentModel::Console).data().toString(), u"current"_s);
        QCOMPARE(m->index(other, AgentModel::Console).data().toString(), QString());
        QVERIFY(m->index(other, AgentModel::Listen).data().toString().contains("API"_L1));
        QVERIFY(!m->versionsDiffer());
        QVERIFY(!m->index(other, AgentModel::Version).data(Qt::BackgroundRole).isValid());
        QCOMPARE(AgentModel::uptimeText(93784), u"1 d 2 h"_s);
        QCOMPARE(AgentModel::uptimeText(3725), u"1 h 2 min"_s);
        QCOMPARE(AgentModel::uptimeText(65), u"1 min 5 s"_s);

        // Killed: gone once three heartbeats are missed.
        const qint64 pid = second->pid();
        second->kill();
        QVERIFY(reloadUntil(page, [&] {
            const int row = rowOfPid(m, pid);
            return row >= 0 && m->index(row, AgentModel::State).data().toString() == "gone"_L1;
        }));
        const int gone = rowOfPid(m, pid);
        QVERIFY(!m->index(gone, AgentModel::State).data(Qt::ToolTipRole).toString().isEmpty());
        QVERIFY(m->index(gone, AgentModel::State).data(Qt::ForegroundRole).isValid());
        const int current = int(column(m, AgentModel::Console).indexOf(u"current"_s));
        QVERIFY(current >= 0 && current != gone);
        QCOMPARE(m->index(current, AgentModel::State).data().toString(), u"alive"_s);
    }

    void aDifferentVersionIsHighlighted()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        QVERIFY(QTest::qWaitFor([&] { return client->role() != Role::Unknown; }, 20000));
        AgentsPage page(client.get());
        page.applyRole(client->role(), client->tenantScope());
        // An older agent on another host (as a rolling upgrade leaves it for a while).
        QVERIFY(m_agent->db().exec(
            u"INSERT INTO agents (id, host, version, pid, started_at, heartbeat_ms, http_listen) "
            "VALUES ('00000000000000aa', 'old-host', '0.9.0', 4242, now() - interval '3 hours', "
            "  600000, '0.0.0.0:7080')"_s));
        const AgentModel *m = page.model();
        QVERIFY(reloadUntil(page, [&] { return rowOfPid(m, 4242) >= 0; }));
        QVERIFY(m->versionsDiffer());
        const QModelIndex old = m->index(rowOfPid(m, 4242), AgentModel::Version);
        QVERIFY(old.data(Qt::BackgroundRole).isValid());
        const QString tip = old.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains("0.9.0 on old-host"_L1) && tip.contains(client->agentVersion()),
                 qPrintable(tip));
        QCOMPARE(m->index(rowOfPid(m, 4242), AgentModel::Uptime).data().toString(), u"3 h 0 min"_s);

        // The screenshot: both versions, the gone agent, the current one.
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showAdminPage(window, window.admin()->agents()));
        QVERIFY(test::saveScreenshot(window, u"admin-agents.png"_s));
        QVERIFY(m_agent->db().exec(u"DELETE FROM agents WHERE id = '00000000000000aa'"_s));
    }

    void auditScreenshot()
    {
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        AuditLogPage *page = window.admin()->auditLog();
        QVERIFY(showAdminPage(window, page));
        page->view()->selectRow(1);
        QVERIFY(!page->detailsView()->toPlainText().isEmpty());
        QVERIFY(test::saveScreenshot(window, u"admin-audit.png"_s));
    }

    // Last: the UI language stays German from here on.
    void germanScreenshot()
    {
        QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        AuditLogPage *page = window.admin()->auditLog();
        QVERIFY(showAdminPage(window, page));
        QCOMPARE(page->model()->headerData(AuditLogModel::Actor, Qt::Horizontal).toString(),
                 u"Akteur"_s);
        QCOMPARE(page->exportButton()->text(), u"CSV &exportieren…"_s);
        // The picker fills in when its tenants have arrived.
        QTRY_COMPARE(page->tenantPicker()->findChild<QComboBox *>()->itemText(0),
                     u"Alle Mandanten"_s);
        page->view()->selectRow(1);
        QVERIFY(test::saveScreenshot(window, u"admin-audit-de.png"_s));
    }
};

QTEST_MAIN(TestConsoleAudit)
#include "tst_console_audit.moc"
