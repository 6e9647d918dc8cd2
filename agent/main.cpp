#include "agent/app/agentapp.h"

#include <QCoreApplication>

#include <curl/curl.h>

#include <sys/resource.h>

namespace {

// Every delivery in flight holds a socket (dispatch.max_in_flight, 1024 by default), beside the
// listeners' clients and the database connections. A shell's soft limit is often 1024 file
// descriptors: raise it to the hard limit, which the administrator chose (the systemd unit sets
// LimitNOFILE).
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    raiseFileLimit();
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
