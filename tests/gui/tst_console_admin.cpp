// The Administration screen's tenants, provider credentials, producer keys and API tokens,
// driven like a user against a real agent: a new tenant's producer token shown once (and
// working), rename, disable (its producer then gets 403) and enable, quotas with validation; a
// webhook credential whose secret appears nowhere on the page once saved (only its
// fingerprint); a CURVE key pair saved to a 0600 file that a ZeroMQ producer publishes with, then
// revoked; an operator token that works until it is revoked; and the actions a viewer, an
// operator or a scoped admin may not take, disabled with why. Screenshots (English, and the
// tenants in German) go to FERRY_SCREENSHOT_DIR when it is set.
#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/apitokenmodel.h"
#include "console/models/admin/credentialmodel.h"
#include "console/models/admin/producerkeymodel.h"
#include "console/models/admin/tenantadminmodel.h"
#include "console/widgets/admin/credentialadminpage.h"
#include "console/widgets/admin/credentialdialog.h"
#include "console/widgets/admin/producerkeyadminpage.h"
#include "console/widgets/admin/quotadialog.h"
#include "console/widgets/admin/secretdialog.h"
#include "console/widgets/admin/tenantadminpage.h"
#include "console/widgets/admin/tokenadminpage.h"
#include "console/widgets/admin/tokendialog.h"
#include "console/widgets/language.h"
#include "shared/producer.h"
#include "tests/gui/consoletestagent.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <sys/stat.h>

using namespace ferry;
using namespace ferry::console;
using namespace Qt::StringLiterals;

namespace {

// Clicks `buttonText` in the question box a page asked (askFirst); false when there is none.
bool answer(QWidget *asker, const QString &buttonText)
{
    auto *box = asker->findChild<QMessageBox *>();
    if (!box)
        return false;
    for (QAbstractButton *b : box->buttons()) {
        if (b->text() == buttonText) {
            b->click();
            return true;
        }
    }
    return false;
}

QString questionText(QWidget *asker)
{
    auto *box = asker->findChild<QMessageBox *>();
    return box ? box->text() : QString();
}

// Every text a model shows, in every row and column.
QString everything(const QAbstractItemModel *m)
{
    QStringList texts;
    for (int r = 0; r < m->rowCount(); ++r) {
        for (int c = 0; c < m->columnCount(); ++c) {
            for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)})
                texts.append(m->index(r, c).data(role).toString());
        }
    }
    return texts.join(u'\n');
}

QString cell(const AdminTableModel *m, QLatin1StringView key, const QJsonValue &value, int column)
{
    const int row = m->rowOf(key, value);
    return row < 0 ? QString() : m->index(row, column).data().toString();
}

void screenshot(QWidget *page, const QString &name)
{
    page->resize(1200, 600);
    page->show();
    QVERIFY(QTest::qWaitForWindowExposed(page));
    QTemporaryDir temporary;
    const QString path =
        QDir(qEnvironmentVariable("FERRY_SCREENSHOT_DIR", temporary.path())).filePath(name);
    QVERIFY(page->grab().save(path));
    QVERIFY(QImage(path).width() >= 1200);
}

} // namespace

class TestConsoleAdmin : public QObject
{
    Q_OBJECT
    std::unique_ptr<test::ConsoleTestAgent> m_agent;
    std::unique_ptr<test::Process> m_receiver;
    QTemporaryDir m_dir;
    QString m_shopToken;
    QString m_scopedAdmin;
    quint16 m_zmqPort = 0;

    // A client of `token` that knows its role.
    std::unique_ptr<ApiClient> clientWith(const QString &token)
    {
        auto client = std::make_unique<ApiClient>();
        client->setProfile(m_agent->profile(m_agent->fingerprint()), token);
        client->connectToAgent();
        if (!QTest::qWaitFor([&] { return client->role() != Role::Unknown; }, 20000))
            return nullptr;
        return client;
    }
    std::unique_ptr<ApiClient> client(const QString &role)
    {
        return clientWith(m_agent->token(role));
    }
    // An API answer through `client`, waited for.
    static ApiResponse call(ApiClient &client, const QString &path)
    {
        ApiResponse out;
        bool done = false;
        client.get(path, {}, &client, [&](const ApiResponse &r) {
            out = r;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 20000))
            out.networkError = u"no answer"_s;
        return out;
    }
    // The answer kind (ACK, NACK) to one PUB with these credentials; "" without an answer.
    static QByteArray zmqAnswer(const ProducerCredentials &credentials)
    {
        test::ZmqClient producer(credentials.endpoints.first(), credentials);
        if (!producer.send({"ferry/1",
                            "r-1",
                            "PUB",
                            {},
                            "{\"specversion\":\"1.0\",\"id\":\"zmq-1\",\"source\":"
                            "\"/t\",\"type\":\"order.created\"}"}))
            return {};
        return producer.receive(2000).value(2);
    }
    template <typename Page> bool loaded(Page &page, ApiClient &c)
    {
        page.applyRole(c.role(), c.tenantScope());
        QSignalSpy spy(&page, &Page::updated);
        page.refresh();
        return spy.wait(20000);
    }
    template <typename Page> bool showShop(Page &page, ApiClient &c)
    {
        page.applyRole(c.role(), c.tenantScope());
        page.refresh();
        if (!QTest::qWaitFor([&] { return page.tenants().contains(u"shop"_s); }, 20000))
            return false;
        QSignalSpy spy(&page, &Page::updated);
        page.setTenant(u"shop"_s);
        page.reloadList();
        return spy.wait(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_agent = std::make_unique<test::ConsoleTestAgent>(u"console_admin"_s);
        QString error;
        QVERIFY2(m_agent->prepare(&error), qPrintable(error));
        QString billing;
        m_receiver = m_agent->addShopAndBilling(&m_shopToken, &billing);
        QVERIFY(m_receiver);
        const QString masterKey = m_dir.filePath(u"master.key"_s);
        QCOMPARE(m_agent->agentCommand({u"credentials"_s, u"generate-key"_s, masterKey}).exitCode,
                 0);
        m_scopedAdmin = m_agent
                            ->agentCommand({u"token"_s, u"create"_s, u"--role"_s, u"admin"_s,
                                            u"--tenant"_s, u"shop"_s})
                            .out.trimmed();
        QVERIFY(!m_scopedAdmin.isEmpty());
        m_zmqPort = test::freePort();
        QVERIFY2(m_agent->start({{u"FERRY_CREDENTIALS_MASTER_KEY_FILE"_s, masterKey},
                                 {u"FERRY_ZMQ_LISTEN"_s, u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort)},
                                 {u"FERRY_INGEST_TENANT_REFRESH"_s, u"200ms"_s}}),
                 qPrintable(m_agent->output()));
    }

    void cleanupTestCase()
    {
        if (m_agent)
            QVERIFY2(m_agent->stop(), qPrintable(m_agent->output()));
    }

    void newTenantShowsItsProducerTokenOnce()
    {
        auto admin = client(u"admin"_s);
        QVERIFY(admin);
        TenantAdminPage page(admin.get());
        QAbstractItemModelTester tester(page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(loaded(page, *admin));
        QCOMPARE(page.model()->rowCount(), 2); // billing, shop
        QVERIFY(page.newAction()->isEnabled());

        QInputDialog *name = page.openNewTenant();
        name->setTextValue(u"outlet"_s);
        name->accept();
        QTRY_VERIFY_WITH_TIMEOUT(page.tokenDialog() != nullptr, 20000);
        SecretDialog *shown = page.tokenDialog();
        const QString token = shown->text();
        QVERIFY2(token.startsWith(u"fpt_"_s), qPrintable(token));
        QCOMPARE(test::publish(m_agent->httpPort(), token, u"outlet-1"_s), 202);
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowCount(), 3, 20000);
        QVERIFY(!everything(page.model()).contains(token));

        // Closing before copying or saving asks; confirmed, the token is gone for good.
        shown->reject();
        QVERIFY(shown->isVisible());
        QVERIFY(questionText(shown).contains(u"cannot show it again"_s));
        QVERIFY(answer(shown, u"Close and lose it"_s));
        QTRY_VERIFY(page.tokenDialog() == nullptr);

        // A name the agent refuses: its reason, nothing created.
        name = page.openNewTenant();
        name->setTextValue(u"Bad Name!"_s);
        name->accept();
        QTRY_VERIFY_WITH_TIMEOUT(page.feedback().contains(u"not created"_s), 20000);
        QCOMPARE(page.model()->rowCount(), 3);
    }

    void renameDisableEnableAndQuotas()
    {
        auto admin = client(u"admin"_s);
        TenantAdminPage page(admin.get());
        QVERIFY(loaded(page, *admin));
        QSignalSpy updated(&page, &TenantAdminPage::updated);
        page.selectTenant(u"shop"_s);
        QVERIFY(page.renameAction()->isEnabled());
        QVERIFY(!page.enableAction()->isEnabled());
        QVERIFY(page.enableAction()->toolTip().contains(u"is enabled"_s));

        QInputDialog *rename = page.openRename();
        QCOMPARE(rename->textValue(), u"shop"_s);
        rename->setTextValue(u"Web shop (EU)"_s);
        rename->accept();
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::DisplayName),
            u"Web shop (EU)"_s, 20000);

        // Disable: the question says what it does; then the producer's events are refused.
        page.selectTenant(u"shop"_s);
        page.askDisable();
        QVERIFY(questionText(&page).contains(u"refuse its new events"_s));
        QVERIFY(questionText(&page).contains(u"accepted before are still sent"_s));
        QVERIFY(answer(&page, u"Disable"_s));
        QTRY_COMPARE_WITH_TIMEOUT(cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::State),
                                  u"disabled"_s, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(test::publish(m_agent->httpPort(), m_shopToken, u"refused-1"_s),
                                  403, 20000);
        page.selectTenant(u"shop"_s);
        QVERIFY(!page.disableAction()->isEnabled());
        QVERIFY(page.enableAction()->isEnabled());
        page.enableAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::State),
                                  u"enabled"_s, 20000);
        int n = 0;
        QTRY_COMPARE_WITH_TIMEOUT(
            test::publish(m_agent->httpPort(), m_shopToken, u"taken-%1"_s.arg(++n)), 202, 20000);

        // Quotas: a wrong field is named and nothing is sent; right ones are saved.
        page.selectTenant(u"shop"_s);
        QuotaDialog *quotas = page.openQuotas();
        quotas->field(QuotaDialog::EventsPerSecond)->setText(u"fast"_s);
        quotas->accept();
        QVERIFY(quotas->isVisible());
        QVERIFY(quotas->problemShown().contains(u"Events per second"_s));
        quotas->field(QuotaDialog::EventsPerSecond)->setText(u"50"_s);
        quotas->field(QuotaDialog::EventsPerDay)->setText(u"100000"_s);
        quotas->field(QuotaDialog::MaxPayload)->setText(u"0"_s);
        quotas->field(QuotaDialog::SlaTarget)->setText(u"150"_s);
        quotas->accept();
        QVERIFY(quotas->problemShown().contains(u"SLA target"_s));
        quotas->field(QuotaDialog::SlaTarget)->setText(u"99.5"_s);
        quotas->field(QuotaDialog::SlaLatency)->setText(u"30000"_s);
        quotas->accept();
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::EventsPerSecond), u"50"_s,
            20000);
        QCOMPARE(cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::EventsPerDay),
                 u"100,000"_s);
        QCOMPARE(cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::MaxPayload),
                 u"no limit"_s);
        QCOMPARE(cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::SlaLatency),
                 u"30,000 ms"_s);
        QCOMPARE(m_agent->db().scalar(u"SELECT max_events_per_second || '/' || sla_target FROM "
                                      "tenants WHERE name = 'shop'"_s),
                 u"50/0.995"_s);
        page.selectTenant(u"billing"_s);
        screenshot(&page, u"admin-tenants.png"_s);
    }

    void credentialSecretIsNeverShown()
    {
        auto admin = client(u"admin"_s);
        CredentialAdminPage page(admin.get());
        QAbstractItemModelTester tester(page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(showShop(page, *admin));
        const QString secret = u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s;
        CredentialDialog *dialog = page.openSet();
        QVERIFY(!dialog->nameField()->isReadOnly());
        dialog->nameField()->setText(u"erp-signing"_s);
        dialog->providerField()->setCurrentText(u"webhook"_s);
        QCOMPARE(dialog->secretKeys(), QStringList{u"signing_secret"_s});
        QCOMPARE(dialog->secretField(u"signing_secret"_s)->echoMode(), QLineEdit::Password);
        dialog->accept();
        QVERIFY(dialog->problemShown().contains(u"required"_s)); // no secret yet
        dialog->secretField(u"signing_secret"_s)->setText(secret);
        QSignalSpy updated(&page, &CredentialAdminPage::updated);
        dialog->accept();
        QVERIFY(updated.wait(20000));
        const int row = page.model()->rowOf("name"_L1, u"erp-signing"_s);
        QVERIFY(row >= 0);
        const QString fingerprint =
            page.model()->index(row, CredentialModel::Fingerprint).data().toString();
        QVERIFY(!fingerprint.isEmpty());
        QVERIFY(page.feedback().contains(fingerprint));
        // Nowhere on the page: not in the model, not in any field or label left.
        QVERIFY(!everything(page.model()).contains(secret));
        for (const QLineEdit *edit : page.findChildren<QLineEdit *>())
            QVERIFY(!edit->text().contains(secret));
        for (const QLabel *label : page.findChildren<QLabel *>())
            QVERIFY(!label->text().contains(secret));

        // Replace: the same dialog with the name fixed and no secret in it.
        page.selectCredential(u"erp-signing"_s);
        QVERIFY(page.replaceAction()->isEnabled());
        dialog = page.openReplace();
        QVERIFY(dialog->nameField()->isReadOnly());
        QCOMPARE(dialog->name(), u"erp-signing"_s);
        QVERIFY(dialog->secretField(u"signing_secret"_s)->text().isEmpty());
        dialog->reject();
        screenshot(&page, u"admin-credentials.png"_s);

        // Delete after asking.
        page.selectCredential(u"erp-signing"_s);
        page.askDelete();
        QVERIFY(answer(&page, u"Delete"_s));
        QVERIFY(updated.wait(20000));
        QCOMPARE(page.model()->rowOf("name"_L1, u"erp-signing"_s), -1);
    }

    void curveKeyPairSavedAndUsable()
    {
        auto admin = client(u"admin"_s);
        ProducerKeyAdminPage page(admin.get());
        QAbstractItemModelTester tester(page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(showShop(page, *admin));
        page.createKey(u"curve"_s);
        QTRY_VERIFY_WITH_TIMEOUT(page.credentialsDialog() != nullptr, 20000);
        SecretDialog *shown = page.credentialsDialog();
        QVERIFY(shown->text().contains(u"secret_key = "_s));
        // Copying is not enough for a credentials file: closing still asks.
        shown->copy();
        shown->reject();
        QVERIFY(questionText(shown).contains(u"did not save it to a file"_s));
        QVERIFY(answer(shown, u"Cancel"_s));
        QVERIFY(shown->isVisible());
        const QString path = m_dir.filePath(u"shop-producer.ferry"_s);
        QString error;
        QVERIFY2(shown->saveTo(path, &error), qPrintable(error));
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        shown->accept(); // saved: closes without asking
        QTRY_VERIFY(page.credentialsDialog() == nullptr);

        auto credentials = ProducerCredentials::fromFile(path);
        QVERIFY2(credentials, qPrintable(credentials ? QString() : credentials.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(
            page.model()->rowOf("public_key"_L1, QString::fromLatin1(credentials->publicKey)) >= 0,
            20000);
        // The file's keys publish over ZeroMQ (the agent's real port instead of the default).
        credentials->endpoints = {u"tcp://127.0.0.1:%1"_s.arg(m_zmqPort)};
        // (The agent takes a new key within zmq.key_refresh; until then it does not answer.)
        QTRY_COMPARE_WITH_TIMEOUT(zmqAnswer(*credentials), QByteArray("ACK"), 30000);

        const int row =
            page.model()->rowOf("public_key"_L1, QString::fromLatin1(credentials->publicKey));
        page.selectRow(row);
        QVERIFY(page.revokeAction()->isEnabled());
        screenshot(&page, u"admin-producer-keys.png"_s);
        page.askRevoke();
        QVERIFY(questionText(&page).contains(u"cannot be undone"_s));
        QSignalSpy updated(&page, &ProducerKeyAdminPage::updated);
        QVERIFY(answer(&page, u"Revoke"_s));
        QVERIFY(updated.wait(20000));
        const int revoked =
            page.model()->rowOf("public_key"_L1, QString::fromLatin1(credentials->publicKey));
        QVERIFY(page.model()->index(revoked, ProducerKeyModel::Revoked).data().toString() !=
                u"active"_s);
    }

    void httpTokenFileNamesTheIngestUrl()
    {
        const QJsonObject answer{{u"kind"_s, u"token"_s}, {u"id"_s, 7}, {u"token"_s, u"fpt_x"_s}};
        const QString file = ProducerKeyAdminPage::credentialsFile(
            u"shop"_s, answer, u"http://ferry.example:7680/v1/events"_s, u"ferry.example"_s);
        QVERIFY(file.contains(u"\ningest_url = http://ferry.example:7680/v1/events\n"_s));
        QVERIFY(file.endsWith(u"\ntoken = fpt_x\n"_s));
    }

    void operatorTokenWorksUntilRevoked()
    {
        auto admin = client(u"admin"_s);
        TokenAdminPage page(admin.get());
        QAbstractItemModelTester tester(page.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(loaded(page, *admin));
        // Its own token may not be revoked from here.
        QVERIFY(page.ownTokenId() > 0);
        page.selectToken(page.ownTokenId());
        QVERIFY(!page.revokeAction()->isEnabled());
        QVERIFY(page.revokeAction()->toolTip().contains(u"connected with"_s));

        TokenDialog *dialog = page.openNew();
        dialog->roleField()->setCurrentIndex(dialog->roleField()->findData(u"operator"_s));
        dialog->nameField()->setText(u"ci operator"_s);
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(page.secretDialog() != nullptr, 20000);
        const QString secret = page.secretDialog()->text();
        page.secretDialog()->copy();
        page.secretDialog()->accept();
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->rowOf("name"_L1, u"ci operator"_s) >= 0, true,
                                  20000);
        QVERIFY(!everything(page.model()).contains(secret));
        const int row = page.model()->rowOf("name"_L1, u"ci operator"_s);
        QCOMPARE(page.model()->index(row, ApiTokenModel::Tenant).data().toString(),
                 u"all tenants"_s);

        auto operatorClient = clientWith(secret);
        QVERIFY(operatorClient);
        QCOMPARE(operatorClient->role(), Role::Operator);
        screenshot(&page, u"admin-tokens.png"_s);

        page.selectToken(page.model()->item(row).value("id"_L1).toInteger());
        QVERIFY(page.revokeAction()->isEnabled());
        page.askRevoke();
        QSignalSpy updated(&page, &TokenAdminPage::updated);
        QVERIFY(answer(&page, u"Revoke"_s));
        QVERIFY(updated.wait(20000));
        QCOMPARE(call(*operatorClient, u"/v1/whoami"_s).status, 401);
    }

    void actionsOthersMayNotTake()
    {
        auto viewer = client(u"viewer"_s);
        TenantAdminPage tenants(viewer.get());
        QVERIFY(loaded(tenants, *viewer));
        QVERIFY(tenants.model()->rowCount() >= 3); // the table all the same
        for (QAction *a : {tenants.newAction(), tenants.renameAction(), tenants.disableAction(),
                           tenants.quotasAction()}) {
            QVERIFY(!a->isEnabled());
            QCOMPARE(a->toolTip(), u"Needs an admin token; this token has the viewer role."_s);
        }

        auto scoped = clientWith(m_scopedAdmin);
        QVERIFY(scoped);
        TenantAdminPage scopedTenants(scoped.get());
        QVERIFY(loaded(scopedTenants, *scoped));
        QVERIFY(!scopedTenants.newAction()->isEnabled());
        QVERIFY(scopedTenants.newAction()->toolTip().contains(u"scoped to tenant shop"_s));
        CredentialAdminPage credentials(scoped.get());
        QVERIFY(showShop(credentials, *scoped));
        QVERIFY(credentials.setAction()->isEnabled()); // its own tenant's credentials

        auto operatorClient = client(u"operator"_s);
        TokenAdminPage tokens(operatorClient.get());
        tokens.applyRole(operatorClient->role(), operatorClient->tenantScope());
        tokens.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!tokens.feedback().isEmpty(), 20000);
        QVERIFY(tokens.feedback().contains(u"admin tokens only"_s));
        QVERIFY(!tokens.newAction()->isEnabled());
        QCOMPARE(tokens.newAction()->toolTip(),
                 u"Needs an admin token; this token has the operator role."_s);
        ProducerKeyAdminPage keys(operatorClient.get());
        QVERIFY(showShop(keys, *operatorClient));
        QVERIFY(!keys.newKeyPairAction()->isEnabled());
        QVERIFY(keys.newKeyPairAction()->toolTip().contains(u"Needs an admin token"_s));
    }

    // Last: the UI language stays German from here on.
    void germanScreenshot()
    {
        QCOMPARE(installTranslators(*QCoreApplication::instance(), u"de"_s), u"de_DE"_s);
        auto admin = client(u"admin"_s);
        TenantAdminPage page(admin.get());
        QVERIFY(loaded(page, *admin));
        QCOMPARE(page.model()->headerData(TenantAdminModel::DisplayName, Qt::Horizontal).toString(),
                 u"Anzeigename"_s);
        QCOMPARE(cell(page.model(), "name"_L1, u"shop"_s, TenantAdminModel::EventsPerDay),
                 u"100.000"_s);
        QVERIFY(!page.newAction()->text().contains(u"New"_s));
        page.selectTenant(u"shop"_s);
        screenshot(&page, u"admin-tenants-de.png"_s);
    }
};

QTEST_MAIN(TestConsoleAdmin)
#include "tst_console_admin.moc"
