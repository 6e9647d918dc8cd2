#include "agent/app/agentapp.h"

#include <QCoreApplication>

#include <curl/curl.h>

int main(int argc, char *argv[])
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ferry-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    const int code = ferry::agent::runCommandLine(QCoreApplication::arguments());
    curl_global_cleanup();
    return code;
}
