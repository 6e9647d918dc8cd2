// API tokens: with a system keychain (run under with-keyring.sh, FERRY_TEST_KEYCHAIN=1) they
// are stored there and read back by a new session; without one the console says so, keeps the
// token for the session only, and the token is written nowhere under HOME (settings included).
#include "console/core/apiclient.h"
#include "console/core/connectionprofile.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/widgets/connectiondialog.h"
#include "console/widgets/mainwindow.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QTest>
#include <QUuid>

using namespace ferry;
using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<console::TokenStore> newTokenStore()
{
    return std::make_unique<console::TokenStore>(
        std::make_unique<console::KeychainSecretStore>(u"ferry-console-test"_s));
}

// Files under dir whose content contains needle.
QStringList filesContaining(const QString &dir, const QByteArray &needle, int *scanned)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue;
        ++*scanned;
        if (f.readAll().contains(needle))
            hits.append(f.fileName());
    }
    return hits;
}

} // namespace

class TestConsoleSecrets : public QObject
{
    Q_OBJECT
    bool m_keychain = qEnvironmentVariableIntValue("FERRY_TEST_KEYCHAIN") == 1;
    QString m_home = QDir::homePath();

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"Ferry"_s);
        QCoreApplication::setApplicationName(u"ferry-console"_s);
        // A private HOME, set by CTest or with-keyring.sh: never scan or change a real one.
        QVERIFY2(m_home.contains(u"home-"_s), qPrintable(m_home));
        // (with-keyring.sh starts from an empty HOME and keeps the keyring there.)
        if (!m_keychain) {
            QDir(m_home).removeRecursively();
            QVERIFY(QDir().mkpath(m_home));
        }
    }

    void keychainRoundTrip()
    {
        if (!m_keychain)
            QSKIP("runs as tst_console_secrets_keychain, under a private Secret Service");
        const QString token = u"fat_"_s + QUuid::createUuid().toString(QUuid::Id128);
        {
            auto store = newTokenStore();
            bool done = false, remembered = false;
            store->save(u"p1"_s, token, [&](bool r) {
                done = true;
                remembered = r;
            });
            QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
            QVERIFY2(remembered, qPrintable(store->keychainProblem()));
            QVERIFY(store->keychainProblem().isEmpty());
        }
        // A new session (nothing in memory) reads it back from the keychain.
        auto store = newTokenStore();
        QString read;
        bool done = false;
        store->load(u"p1"_s, [&](const QString &t) {
            done = true;
            read = t;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QCOMPARE(read, token);
        store->forget(u"p1"_s);
        auto after = newTokenStore();
        done = false;
        after->load(u"p1"_s, [&](const QString &t) {
            done = true;
            read = t;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QVERIFY(read.isEmpty());
    }

    void withoutKeychainTheTokenStaysInMemory()
    {
        if (m_keychain)
            QSKIP("runs as tst_console_secrets, without a keychain");
        const QString token = u"fat_"_s + QUuid::createUuid().toString(QUuid::Id128);
        auto store = newTokenStore();
        {
            // The user adds an agent through the connection dialog of the main window.
            console::MainWindow window(store.get());
            window.show();
            window.startUp();
            console::ConnectionDialog *dialog = nullptr;
            QTRY_VERIFY((dialog = window.findChild<console::ConnectionDialog *>()) != nullptr);
            for (QLineEdit *edit : dialog->findChildren<QLineEdit *>()) {
                if (edit->accessibleName() == u"Address"_s)
                    edit->setText(u"https://127.0.0.1:9"_s);
                else if (edit->accessibleName() == u"API token"_s)
                    edit->setText(token);
                else if (edit->accessibleName() == u"Name"_s)
                    edit->setText(u"unreachable agent"_s);
            }
            dialog->accept();
            // The console says the token is not remembered.
            QTRY_VERIFY_WITH_TIMEOUT(!store->keychainProblem().isEmpty(), 20000);
            QCOMPARE(window.client()->token(), token);
            window.close();
        }
        // Kept for the session…
        QString read;
        store->load(QSettings().value(u"connection/last"_s).toString(),
                    [&](const QString &t) { read = t; });
        QCOMPARE(read, token);
        // …but not for the next one.
        auto next = newTokenStore();
        bool done = false;
        next->load(QSettings().value(u"connection/last"_s).toString(), [&](const QString &t) {
            done = true;
            read = t;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QVERIFY(read.isEmpty());

        // The settings were written (the profile is there), the token nowhere under HOME.
        QSettings().sync();
        QVERIFY(QSettings().contains(u"window/geometry"_s)); // the window layout is remembered
        int scanned = 0;
        QVERIFY(!filesContaining(m_home, "unreachable agent", &scanned).isEmpty());
        const QStringList leaks = filesContaining(m_home, token.toUtf8(), &scanned);
        QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u", "_s)));
        QVERIFY(scanned > 0);
    }
};

QTEST_MAIN(TestConsoleSecrets)
#include "tst_console_secrets.moc"
