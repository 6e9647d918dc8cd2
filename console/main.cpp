// ferry-console: the ops desktop for Ferry agents.
#include "console/core/connectionprofile.h"
#include "console/core/secretstore.h"
#include "console/core/tokenstore.h"
#include "console/widgets/language.h"
#include "console/widgets/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"Ferry"_s);
    QApplication::setApplicationName(u"ferry-console"_s);
    QApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    // The installed ferry-console.desktop and its icon (the ferry-console package).
    QGuiApplication::setDesktopFileName(u"ferry-console"_s);
    QApplication::setWindowIcon(QIcon::fromTheme(u"ferry-console"_s));
    ferry::console::installTranslators(app, ferry::console::languageSetting());

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "The Ferry ops console. Without options it opens the last agent used."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(
        u"url"_s,
        QApplication::translate(
            "main", "Connect to this agent (the token comes from FERRY_CONSOLE_TOKEN)."),
        u"URL"_s);
    const QCommandLineOption pin(
        u"pin"_s, QApplication::translate("main", "Expect this certificate fingerprint."),
        u"sha256/…"_s);
    const QCommandLineOption caFile(
        u"ca-file"_s, QApplication::translate("main", "Trust the CA certificate in this file."),
        u"FILE"_s);
    const QCommandLineOption screenshots(
        u"screenshots"_s,
        QApplication::translate("main", "Render every screen to DIR as PNG, then quit."), u"DIR"_s);
    parser.addOptions({url, pin, caFile, screenshots});
    parser.process(app);

    ferry::console::TokenStore tokens(
        std::make_unique<ferry::console::KeychainSecretStore>(u"ferry-console"_s));
    ferry::console::MainWindow window(&tokens);
    window.show();
    if (parser.isSet(url)) {
        const QString token = qEnvironmentVariable("FERRY_CONSOLE_TOKEN");
        if (token.isEmpty()) {
            std::fputs(
                qPrintable(QApplication::translate(
                    "main", "Set FERRY_CONSOLE_TOKEN to the API token to use with --url.\n")),
                stderr);
            return 2;
        }
        ferry::console::ConnectionProfile p;
        p.id = u"command-line"_s;
        p.name = QUrl(parser.value(url)).host();
        p.url = QUrl(parser.value(url));
        if (parser.isSet(caFile)) {
            p.trust = ferry::console::ConnectionProfile::Trust::CaFile;
            p.caFile = parser.value(caFile);
        }
        p.pin = parser.value(pin).trimmed();
        window.connectTo(p, token, false);
    } else {
        window.startUp();
    }
    if (parser.isSet(screenshots))
        window.renderScreenshots(parser.value(screenshots));
    return QApplication::exec();
}
