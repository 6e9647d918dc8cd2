#include "agent/ctl/ctlio.h"

#include "agent/app/cliio.h"

namespace ferry::ctl {

int usage(const QString &message)
{
    agent::err() << "ferryctl: " << message << Qt::endl;
    return 2;
}

} // namespace ferry::ctl
