#pragma once

#include <QString>

namespace ferry::ctl {

// Prints "ferryctl: <message>" on standard error and returns 2, ferryctl's exit code for a
// command it could not run as given.
int usage(const QString &message);

} // namespace ferry::ctl
