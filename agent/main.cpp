#include "agent/app/agentapp.h"

#include <QCoreApplication>

#include <curl/curl.h>

int main(int argc, char *argv[])
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    // Qt's own event dispatcher instead of GLib's: the agent's threads wake up for every batch
    // of socket events, and the GLib main loop costs measurably more per wake-up under load
    // (docs/performance.md). The agent uses nothing that needs a GLib main loop.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ferry-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    const int code = ferry::agent::runCommandLine(QCoreApplication::arguments());
    curl_global_cleanup();
    return code;
}
