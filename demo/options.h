#pragma once

#include "shared/result.h"

#include <QString>
#include <QStringList>

namespace ferry::demo {

// ferry-demo's command line and FERRY_DATABASE_URL.
struct Options
{
    QString agent;
    QString receiver;
    QString providerSim;
    QString smtpServer;
    QString console;
    QString databaseUrl;
    int events = 10'000;
    double failRate = 0.2;
    int messageEvery = 20; // every Nth event also goes out as email, SMS, WhatsApp and push
    bool keepRunning = false;
    bool openConsole = false;
    quint16 httpPort = 0;
    quint16 receiverPort = 0;
    quint16 apiPort = 0;
    int timeoutSeconds = 180;

    // With --help it prints the help and fails with an empty message.
    static Result<Options> parse(const QStringList &arguments);
};

} // namespace ferry::demo
