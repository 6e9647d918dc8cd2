// The workflows page against a real agent: workflows and instances seeded in the agent's
// database (as its workflow workers would leave them) show in their tables: the definitions by
// name with their trigger, cancelling types and number of steps, the instances newest first with
// the current step's name, failed and compensated ones red, cancelled ones grey. Selecting a
// compensated instance shows its history in order: the steps it ran, the one that failed, then
// the steps it undid, last first. The workflow and state filters narrow the list at once and ask
// the agent for the same; F5 keeps the selected instance and shows how far it got; in the
// window the page reloads every 10 s while shown. Finally the page is rendered in German (with
// FERRY_SCREENSHOT_DIR set, saved there as workflows.png). The models pass
// QAbstractItemModelTester.
#include "console/core/apiclient.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/models/highlight.h"
#include "console/models/workflows/workflowinstancemodel.h"
#include "console/models/workflows/workflowmodel.h"
#include "console/models/workflows/workflowstepmodel.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"
#include "console/widgets/workflowswidget.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QImage>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace Qt::StringLiterals;
using console::Role;
using console::WorkflowInstanceModel;
using console::WorkflowModel;
using console::WorkflowStepModel;
using console::WorkflowsWidget;

namespace {

// The text a view shows in `column` of the row whose `keyColumn` reads `key`.
QString cell(const QTableView *view, int keyColumn, const QString &key, int column,
             int role = Qt::DisplayRole)
{
    const QAbstractItemModel *m = view->model();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->index(row, keyColumn).data().toString() == key)
            return m->index(row, column).data(role).toString();
    }
    return u"<no row %1>"_s.arg(key);
}

// Text for an SQL string literal.
QString quoted(QString text)
{
    return text.replace(u'\'', u"''"_s);
}

// A column of a view, top to bottom.
QStringList column(const QTableView *view, int column)
{
    QStringList texts;
    for (int row = 0; row < view->model()->rowCount(); ++row)
        texts.append(view->model()->index(row, column).data().toString());
    return texts;
}

// One row of an instance's history: its place in the definition, phase, name, state, error.
struct StepRow
{
    int step;
    const char *phase;
    const char *name;
    const char *state;
    const char *error = nullptr;
};

const char *const kDunningSteps =
    R"([{"name":"email","emit":"dunning.email","compensate":"dunning.email.withdrawn"},)"
    R"({"name":"grace","wait":"3d"},)"
    R"({"name":"downgrade","emit":"entitlement.downgrade","compensate":"entitlement.restore"},)"
    R"({"name":"sms","emit":"dunning.sms"}])";
const char *const kOnboardingSteps =
    R"([{"name":"welcome","emit":"onboarding.welcome"},{"name":"tips","publish":"onboarding.tips"}])";
const char *const kSmsDead = "delivery 4f1c is dead: 410 Gone";

} // namespace

class TestConsoleWorkflows : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    qint64 m_completed = 0;
    qint64 m_compensated = 0;
    qint64 m_cancelled = 0;
    qint64 m_failed = 0;
    qint64 m_onboarded = 0;
    qint64 m_running = 0; // the newest

    QString sql(const QString &statement) { return m_agent->db().scalar(statement); }

    // A workflow of the shop with its route (channel workflow), as PUT …/workflows/{name} would.
    bool addWorkflow(const QString &name, const QString &trigger, const QString &cancel,
                     const QString &correlate, const char *steps)
    {
        const QString statement =
            u"WITH e AS (INSERT INTO endpoints (tenant_id, channel, url, event_types, secret)"
            " SELECT id, 'workflow', 'workflow:%1', ARRAY['%2'] || '%3'::text[], '' FROM tenants"
            " WHERE name = 'shop' RETURNING id, tenant_id) INSERT INTO workflows (tenant_id, name,"
            " endpoint_id, trigger_type, cancel_types, correlate, steps) SELECT tenant_id, '%1',"
            " id, '%2', '%3', '%4', '%5' FROM e RETURNING id"_s;
        return !sql(statement.arg(name, trigger, cancel, correlate, QLatin1StringView(steps)))
                    .isEmpty();
    }

    // An instance that started `minutesAgo`, its history one step a minute from then. Running
    // ones are due tomorrow: the agent's workflow workers leave them alone.
    qint64 addInstance(const QString &workflow, const QString &correlation, const QString &state,
                       int step, const QString &error, int minutesAgo,
                       const QList<StepRow> &history)
    {
        const QString instance =
            u"INSERT INTO workflow_instances (workflow_id, tenant_id, event_id, delivery_id,"
            " correlation, state, step, error, due_at, created_at, updated_at) SELECT id,"
            " tenant_id, gen_random_uuid(), gen_random_uuid(), '%2', '%3', %4, nullif('%5', ''),"
            " now() + interval '1 day', now() - interval '%6 minutes', now() - interval '%7"
            " minutes' FROM workflows WHERE name = '%1' RETURNING id"_s;
        const qint64 id = sql(instance.arg(workflow, correlation, state, QString::number(step),
                                           quoted(error), QString::number(minutesAgo),
                                           QString::number(minutesAgo - int(history.size()))))
                              .toLongLong();
        for (int i = 0; id > 0 && i < history.size(); ++i) {
            if (!addStep(id, history.at(i), minutesAgo - i))
                return 0;
        }
        return id;
    }

    bool addStep(qint64 instance, const StepRow &r, int minutesAgo)
    {
        const bool open = qstrcmp(r.state, "started") == 0;
        const QString statement =
            u"INSERT INTO workflow_steps (instance_id, step, phase, name, state, event_id,"
            " started_at, finished_at, error) VALUES (%1, %2, '%3', '%4', '%5', %6, now() -"
            " interval '%7 minutes', %8, nullif('%9', ''))"_s;
        const QString started = u"now() - interval '%1 minutes'"_s.arg(minutesAgo);
        return m_agent->db().exec(statement.arg(
            QString::number(instance), QString::number(r.step), QLatin1StringView(r.phase),
            QLatin1StringView(r.name), QLatin1StringView(r.state),
            qstrcmp(r.name, "grace") == 0 ? u"NULL"_s : u"gen_random_uuid()"_s,
            QString::number(minutesAgo), open ? u"NULL"_s : started + u" + interval '20 seconds'"_s,
            quoted(QString::fromLatin1(r.error))));
    }

    // Six instances, oldest first: of dunning one completed, one compensated (its SMS dead),
    // one cancelled (the customer paid), one failed (even the compensation failed), one running
    // (in its grace period); of onboarding one completed.
    bool seedInstances()
    {
        m_completed = addInstance(u"dunning"_s, u"cus_A"_s, u"completed"_s, 4, {}, 300,
                                  {{0, "do", "email", "done"},
                                   {1, "do", "grace", "done"},
                                   {2, "do", "downgrade", "done"},
                                   {3, "do", "sms", "done"}});
        m_compensated = addInstance(u"dunning"_s, u"cus_B"_s, u"compensated"_s, 0,
                                    u"step 'sms' failed: "_s + QLatin1StringView(kSmsDead), 240,
                                    {{0, "do", "email", "done"},
                                     {1, "do", "grace", "done"},
                                     {2, "do", "downgrade", "done"},
                                     {3, "do", "sms", "failed", kSmsDead},
                                     {2, "undo", "downgrade", "done"},
                                     {0, "undo", "email", "done"}});
        m_cancelled = addInstance(u"dunning"_s, u"cus_C"_s, u"cancelled"_s, 2, {}, 180,
                                  {{0, "do", "email", "done"}, {1, "do", "grace", "done"}});
        m_failed = addInstance(
            u"dunning"_s, u"cus_E"_s, u"failed"_s, 0,
            u"step 'downgrade' failed: no route delivers entitlement.downgrade; then the "
            "compensation of step 'email' failed: no route delivers dunning.email.withdrawn"_s,
            120,
            {{0, "do", "email", "done"},
             {1, "do", "grace", "done"},
             {2, "do", "downgrade", "failed", "no route delivers entitlement.downgrade"},
             {0, "undo", "email", "failed", "no route delivers dunning.email.withdrawn"}});
        m_onboarded = addInstance(u"onboarding"_s, u"cus_D"_s, u"completed"_s, 2, {}, 90,
                                  {{0, "do", "welcome", "done"}, {1, "do", "tips", "done"}});
        m_running = addInstance(u"dunning"_s, u"cus_F"_s, u"running"_s, 1, {}, 30,
                                {{0, "do", "email", "done"}, {1, "do", "grace", "started"}});
        return m_completed > 0 && m_compensated > 0 && m_cancelled > 0 && m_failed > 0 &&
               m_onboarded > 0 && m_running > 0;
    }

    // The page of a viewer with the shop's workflows and (at least `instances`) instances.
    bool load(WorkflowsWidget &page, console::ApiClient &client, int instances = 6)
    {
        if (!QTest::qWaitFor([&] { return client.role() == Role::Viewer; }, 20000))
            return false;
        page.refreshTenants();
        if (!QTest::qWaitFor([&] { return page.tenants().contains(u"shop"_s); }, 20000))
            return false;
        page.setTenant(u"shop"_s);
        return QTest::qWaitFor(
            [&] {
                return page.workflows()->rowCount() == 2 &&
                       page.instances()->rowCount() >= instances;
            },
            20000);
    }

    // The window of a viewer on the workflows page, the shop's instances loaded.
    bool showShop(console::MainWindow &window)
    {
        window.connectTo(m_agent->profile(m_agent->fingerprint()), m_agent->token(u"viewer"_s),
                         false);
        if (!QTest::qWaitFor([&] { return window.client()->role() == Role::Viewer; }, 20000))
            return false;
        window.showScreen(console::MainWindow::Workflows);
        WorkflowsWidget *page = window.workflows();
        // Connected: the page lists the tenants and shows the first one's workflows.
        if (!QTest::qWaitFor([&] { return page->tenants().contains(u"shop"_s); }, 20000) ||
            page->tenant() != u"billing"_s)
            return false;
        page->setTenant(u"shop"_s);
        return QTest::qWaitFor([&] { return page->instances()->rowCount() == 6; }, 20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_workflows"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QVERIFY(!test::createTenant(m_agent->db().url(), u"shop"_s).isEmpty());
        QVERIFY(!test::createTenant(m_agent->db().url(), u"billing"_s).isEmpty());
        QVERIFY(addWorkflow(u"dunning"_s, u"invoice.payment_failed"_s, u"{invoice.paid}"_s,
                            u"{data,data,object,customer}"_s, kDunningSteps));
        QVERIFY(addWorkflow(u"onboarding"_s, u"customer.created"_s, u"{}"_s, u"{partitionkey}"_s,
                            kOnboardingSteps));
        QVERIFY(seedInstances());
        QVERIFY2(m_agent->start(), qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void workflowsByName()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        WorkflowsWidget page(client.get());
        QAbstractItemModelTester tester(page.workflows(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client));
        QCOMPARE(page.tenants(), (QStringList{u"billing"_s, u"shop"_s}));
        QVERIFY(page.dataTime().isValid());
        QVERIFY(page.feedback().isEmpty());

        const QTableView *view = page.workflowView();
        QCOMPARE(column(view, WorkflowModel::Name), (QStringList{u"dunning"_s, u"onboarding"_s}));
        const int name = WorkflowModel::Name;
        QCOMPARE(cell(view, name, u"dunning"_s, WorkflowModel::Trigger),
                 u"invoice.payment_failed"_s);
        QCOMPARE(cell(view, name, u"dunning"_s, WorkflowModel::CancelledBy), u"invoice.paid"_s);
        QCOMPARE(cell(view, name, u"dunning"_s, WorkflowModel::Steps), QLocale().toString(4));
        QCOMPARE(cell(view, name, u"dunning"_s, WorkflowModel::Correlate),
                 u"data.data.object.customer"_s);
        QCOMPARE(cell(view, name, u"onboarding"_s, WorkflowModel::CancelledBy), u"—"_s);
        QCOMPARE(cell(view, name, u"onboarding"_s, WorkflowModel::Steps), QLocale().toString(2));
        // The steps, in order, with what each does and what undoes it.
        const QString steps = cell(view, name, u"dunning"_s, WorkflowModel::Steps, Qt::ToolTipRole);
        QVERIFY2(steps.contains(u"1. email: emits dunning.email and waits for its deliveries, "
                                "undone by dunning.email.withdrawn\n2. grace: waits 3d\n"_s),
                 qPrintable(steps));

        // Another tenant: nothing of the shop's stays, and the billing tenant has no workflows.
        QSignalSpy updated(&page, &WorkflowsWidget::updated);
        page.setTenant(u"billing"_s);
        QCOMPARE(page.workflows()->rowCount(), 0);
        QCOMPARE(page.instances()->rowCount(), 0);
        QVERIFY(updated.wait(20000));
        QCOMPARE(page.workflows()->rowCount(), 0);
        QCOMPARE(page.instances()->rowCount(), 0);
        QCOMPARE(page.workflowChoices(), QStringList{QString()});
    }

    void instancesNewestFirst()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        WorkflowsWidget page(client.get());
        QAbstractItemModelTester tester(page.instances(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client));
        const QTableView *view = page.instanceView();
        const auto id = [](qint64 i) { return QString::number(i); };
        QCOMPARE(column(view, WorkflowInstanceModel::Id),
                 (QStringList{id(m_running), id(m_onboarded), id(m_failed), id(m_cancelled),
                              id(m_compensated), id(m_completed)}));
        const int key = WorkflowInstanceModel::Id;
        const auto at = [&](qint64 i, int c, int role = Qt::DisplayRole) {
            return cell(view, key, id(i), c, role);
        };
        QCOMPARE(at(m_running, WorkflowInstanceModel::Workflow), u"dunning"_s);
        QCOMPARE(at(m_running, WorkflowInstanceModel::Correlation), u"cus_F"_s);
        QCOMPARE(at(m_running, WorkflowInstanceModel::State), u"running"_s);
        QCOMPARE(at(m_running, WorkflowInstanceModel::Step), u"grace"_s);
        QCOMPARE(at(m_cancelled, WorkflowInstanceModel::Step), u"downgrade"_s);
        QCOMPARE(at(m_completed, WorkflowInstanceModel::Step), u"—"_s); // past the last
        QCOMPARE(at(m_onboarded, WorkflowInstanceModel::Workflow), u"onboarding"_s);
        QCOMPARE(at(m_compensated, WorkflowInstanceModel::State), u"compensated"_s);
        QCOMPARE(at(m_compensated, WorkflowInstanceModel::Error),
                 u"step 'sms' failed: "_s + QLatin1StringView(kSmsDead));
        QVERIFY(!at(m_running, WorkflowInstanceModel::UpdatedAt).isEmpty());
        QVERIFY(at(m_running, WorkflowInstanceModel::UpdatedAt) != u"—"_s);

        // Failed and compensated red, cancelled grey, running and completed as they are.
        const QString red = console::severityBackground(console::Severity::Problem).name();
        for (qint64 i : {m_failed, m_compensated})
            QCOMPARE(at(i, WorkflowInstanceModel::State, Qt::BackgroundRole), red);
        for (qint64 i : {m_running, m_completed, m_cancelled})
            QCOMPARE(at(i, WorkflowInstanceModel::State, Qt::BackgroundRole), QString());
        QVERIFY(!at(m_cancelled, WorkflowInstanceModel::State, Qt::ForegroundRole).isEmpty());
        QCOMPARE(at(m_running, WorkflowInstanceModel::State, Qt::ForegroundRole), QString());
    }

    void stepHistoryOfACompensatedInstance()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        WorkflowsWidget page(client.get());
        QAbstractItemModelTester tester(page.steps(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client));
        QCOMPARE(page.selectedInstance(), 0);
        QCOMPARE(page.steps()->rowCount(), 0);

        page.selectInstance(m_compensated);
        QCOMPARE(page.selectedInstance(), m_compensated);
        QCOMPARE(page.stepsTitle(),
                 u"Steps of instance %1 (dunning, compensated)"_s.arg(m_compensated));
        // What it ran, the step that failed, then what it undid, last first.
        const QTableView *view = page.stepView();
        QCOMPARE(column(view, WorkflowStepModel::Name),
                 (QStringList{u"email"_s, u"grace"_s, u"downgrade"_s, u"sms"_s, u"downgrade"_s,
                              u"email"_s}));
        QCOMPARE(column(view, WorkflowStepModel::Phase),
                 (QStringList{u"run"_s, u"run"_s, u"run"_s, u"run"_s, u"undo"_s, u"undo"_s}));
        QCOMPARE(column(view, WorkflowStepModel::State),
                 (QStringList{u"done"_s, u"done"_s, u"done"_s, u"failed"_s, u"done"_s, u"done"_s}));
        QCOMPARE(column(view, WorkflowStepModel::Error),
                 (QStringList{QString(), QString(), QString(), QString::fromLatin1(kSmsDead),
                              QString(), QString()}));
        const console::WorkflowStepRecord &failed = page.steps()->record(3);
        QVERIFY(failed.startedAt.isValid() && failed.finishedAt.isValid());
        QCOMPARE(view->model()->index(3, WorkflowStepModel::StartedAt).data().toString(),
                 QLocale(QLocale::English)
                     .toString(failed.startedAt.toLocalTime(), u"d MMM yyyy HH:mm"_s));
        QCOMPARE(column(view, WorkflowStepModel::EventId).at(1), u"—"_s); // a wait emits none
        QCOMPARE(view->model()->index(3, 0).data(Qt::BackgroundRole).value<QColor>(),
                 console::severityBackground(console::Severity::Problem));

        // A running instance: its open step has no end yet.
        page.selectInstance(m_running);
        QCOMPARE(column(view, WorkflowStepModel::State), (QStringList{u"done"_s, u"started"_s}));
        QCOMPARE(column(view, WorkflowStepModel::FinishedAt).at(1), u"—"_s);
    }

    void filtersByWorkflowAndState()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        WorkflowsWidget page(client.get());
        QAbstractItemModelTester tester(page.instanceView()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, *client));
        QCOMPARE(page.workflowChoices(), (QStringList{QString(), u"dunning"_s, u"onboarding"_s}));
        QCOMPARE(page.stateChoices(),
                 (QStringList{QString(), u"running"_s, u"completed"_s, u"compensating"_s,
                              u"compensated"_s, u"failed"_s, u"cancelled"_s}));
        const QTableView *view = page.instanceView();
        const auto ids = [](std::initializer_list<qint64> list) {
            QStringList texts;
            for (qint64 i : list)
                texts.append(QString::number(i));
            return texts;
        };

        // At once on screen; then the agent's answer holds only those.
        page.setStateFilter(u"completed"_s);
        QCOMPARE(page.stateFilter(), u"completed"_s);
        QCOMPARE(column(view, WorkflowInstanceModel::Id), ids({m_onboarded, m_completed}));
        QTRY_COMPARE_WITH_TIMEOUT(page.instances()->rowCount(), 2, 20000);
        QCOMPARE(column(view, WorkflowInstanceModel::Id), ids({m_onboarded, m_completed}));

        page.setWorkflowFilter(u"dunning"_s);
        QCOMPARE(column(view, WorkflowInstanceModel::Id), ids({m_completed}));
        QTRY_COMPARE_WITH_TIMEOUT(page.instances()->rowCount(), 1, 20000);
        page.setStateFilter({});
        QTRY_COMPARE_WITH_TIMEOUT(page.instances()->rowCount(), 5, 20000);
        QCOMPARE(column(view, WorkflowInstanceModel::Workflow), QStringList(5, u"dunning"_s));
        page.setStateFilter(u"cancelled"_s);
        QCOMPARE(column(view, WorkflowInstanceModel::Id), ids({m_cancelled}));
        QTRY_COMPARE_WITH_TIMEOUT(page.instances()->rowCount(), 1, 20000);
        QCOMPARE(column(view, WorkflowInstanceModel::Id), ids({m_cancelled}));
    }

    void doubleClickingAWorkflowShowsItsInstances()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        WorkflowsWidget page(client.get());
        QVERIFY(load(page, *client));
        page.resize(1000, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTableView *workflows = page.workflowView();
        const QRect onboarding = workflows->visualRect(workflows->model()->index(1, 0));
        // (A double-click: press, release, then the double-click event.)
        QTest::mouseClick(workflows->viewport(), Qt::LeftButton, {}, onboarding.center());
        QTest::mouseDClick(workflows->viewport(), Qt::LeftButton, {}, onboarding.center());
        QCOMPARE(page.workflowFilter(), u"onboarding"_s);
        QCOMPARE(page.stateFilter(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(page.instances()->rowCount(), 1, 20000);
        QCOMPARE(page.instances()->instance(0).id, m_onboarded);
    }

    void mainWindowRefreshesTheShownPage()
    {
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showShop(window));
        QCOMPARE(window.findChild<QTabWidget *>()->currentWidget(), window.workflows());
        WorkflowsWidget *page = window.workflows();
        QCOMPARE(page->tenants(), (QStringList{u"billing"_s, u"shop"_s}));

        // A new instance shows without asking, within the 10 s of the page's refresh.
        const qint64 added = addInstance(u"onboarding"_s, u"cus_G"_s, u"running"_s, 0, {}, 1, {});
        QVERIFY(added > 0);
        QTRY_COMPARE_WITH_TIMEOUT(page->instances()->rowCount(), 7, 25000);
        QCOMPARE(page->instanceView()->model()->index(0, 0).data().toString(),
                 QString::number(added));
        QVERIFY(m_agent->db().exec(u"DELETE FROM workflow_instances WHERE id = %1"_s.arg(added)));
    }

    void refreshKeepsTheSelectedInstance()
    {
        auto client = m_agent->connectedClient(u"viewer"_s);
        WorkflowsWidget page(client.get());
        QVERIFY(load(page, *client));
        page.selectInstance(m_running);
        QCOMPARE(page.steps()->rowCount(), 2);
        QCOMPARE(page.refreshAction()->shortcut(), QKeySequence(QKeySequence::Refresh));

        // The grace period is over and the downgrade started: F5 shows it, still selected.
        QVERIFY(m_agent->db().exec(
            u"UPDATE workflow_steps SET state = 'done', finished_at = now() WHERE instance_id = %1"
            " AND step = 1"_s.arg(m_running)));
        QVERIFY(m_agent->db().exec(
            u"INSERT INTO workflow_steps (instance_id, step, phase, name, state, event_id)"
            " VALUES (%1, 2, 'do', 'downgrade', 'started', gen_random_uuid())"_s.arg(m_running)));
        QVERIFY(m_agent->db().exec(
            u"UPDATE workflow_instances SET step = 2, updated_at = now() WHERE id = %1"_s.arg(
                m_running)));
        page.refreshAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(page.steps()->rowCount(), 3, 20000);
        QCOMPARE(page.selectedInstance(), m_running);
        QCOMPARE(cell(page.instanceView(), WorkflowInstanceModel::Id, QString::number(m_running),
                      WorkflowInstanceModel::Step),
                 u"downgrade"_s);
        QCOMPARE(column(page.stepView(), WorkflowStepModel::State),
                 (QStringList{u"done"_s, u"done"_s, u"started"_s}));
    }

    // Last: the UI language stays German from here on.
    void germanScreenshot()
    {
        QCOMPARE(console::installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        console::TokenStore tokens(
            std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
        console::MainWindow window(&tokens);
        QVERIFY(showShop(window));
        WorkflowsWidget *page = window.workflows();
        page->selectInstance(m_compensated);
        QCOMPARE(page->steps()->rowCount(), 6);

        // Words, numbers and dates in German.
        const QTableView *instances = page->instanceView();
        const auto state = [&](qint64 id) {
            return cell(instances, WorkflowInstanceModel::Id, QString::number(id),
                        WorkflowInstanceModel::State);
        };
        QCOMPARE(state(m_compensated), u"kompensiert"_s);
        QCOMPARE(state(m_cancelled), u"abgebrochen"_s);
        QCOMPARE(state(m_running), u"läuft"_s);
        QCOMPARE(column(page->stepView(), WorkflowStepModel::Phase).mid(3),
                 (QStringList{u"Ausführung"_s, u"Rücknahme"_s, u"Rücknahme"_s}));
        QCOMPARE(column(page->stepView(), WorkflowStepModel::State).mid(2, 2),
                 (QStringList{u"erledigt"_s, u"fehlgeschlagen"_s}));
        const QDateTime started = page->steps()->record(0).startedAt;
        QCOMPARE(page->steps()->data(page->steps()->index(0, WorkflowStepModel::StartedAt)),
                 QLocale(QLocale::German).toString(started.toLocalTime(), u"d. MMM yyyy HH:mm"_s));
        QCOMPARE(page->stepsTitle(),
                 u"Schritte der Instanz %1 (dunning, kompensiert)"_s.arg(m_compensated));

        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTemporaryDir temporary;
        const QString dir = qEnvironmentVariable("FERRY_SCREENSHOT_DIR", temporary.path());
        const QString path = QDir(dir).filePath(u"workflows.png"_s);
        QVERIFY(window.grab().save(path));
        QVERIFY(QImage(path).width() >= 1200);
    }
};

QTEST_MAIN(TestConsoleWorkflows)
#include "tst_console_workflows.moc"
