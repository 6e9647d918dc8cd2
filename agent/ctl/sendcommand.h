#pragma once

#include <QStringList>

class QCommandLineParser;

namespace ferry::ctl {

// The options `send` reads; main() adds them to its parser.
void addSendOptions(QCommandLineParser &parser);

// `ferryctl send [FILE|-]`: publishes JSON-lines CloudEvents over ZeroMQ and prints how many
// were accepted, duplicate and rejected, with the reasons. 0: none rejected; 1: some were;
// 2: wrong usage.
int runSendCommand(const QCommandLineParser &parser, const QStringList &args);

} // namespace ferry::ctl
