#pragma once

#include <QString>
#include <QTextStream>

namespace ferry::agent {

// The command line's standard output and error: one stream each for the whole program, so
// that lines from different commands' code never interleave out of order.
QTextStream &out();
QTextStream &err();
// Prints "ferry-agent: <message>" on standard error and returns the exit code 1.
int fail(const QString &message);

} // namespace ferry::agent
