// ferry-demo: runs Ferry end to end on this machine. It prepares the database, starts a webhook
// receiver that fails a share of requests on purpose, starts ferry-agent, sends events, waits
// until every delivery is finished, and checks that each event arrived exactly once.
#include "demo/demo.h"
#include "demo/options.h"
#include "demo/terminal.h"

#include <QCoreApplication>

#include <curl/curl.h>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ferry-demo"_s);
    auto options = ferry::demo::Options::parse(QCoreApplication::arguments());
    if (!options) {
        if (options.error().message.isEmpty()) // --help
            return 0;
        QTextStream(stderr) << "ferry-demo: " << options.error().message << Qt::endl;
        return 2;
    }
    ferry::demo::watchInterrupts();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int code = 0;
    {
        ferry::demo::Demo demo(*options);
        code = demo.run();
    }
    curl_global_cleanup();
    return code;
}
