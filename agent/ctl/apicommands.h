#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

// The options the API commands read; main() adds them to its parser.
void addApiOptions(QCommandLineParser &parser);

// True when args[0] names an API command (login, tenants, routes, deliveries, dlq, report…).
bool isApiCommand(const QString &command);

// Runs one: 0 done, 1 refused by the agent or not reachable, 2 wrong usage.
int runApiCommand(const QCommandLineParser &parser, const QStringList &args);

} // namespace ferry::ctl
