#pragma once

#include "shared/result.h"

#include <QByteArray>

class QCommandLineParser;

namespace ferry::ctl {

// The API token for `ferryctl login`, never from the command line (any user of the machine
// reads it there, in ps or /proc/PID/cmdline): from --token-file FILE, else standard input,
// prompted for without echo when that is a terminal. `--token -` also means standard input;
// `--token TOKEN` is refused with a message that says what to do instead.
Result<QByteArray> readLoginToken(const QCommandLineParser &parser);

} // namespace ferry::ctl
