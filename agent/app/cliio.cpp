#include "agent/app/cliio.h"

namespace ferry::agent {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

int fail(const QString &message)
{
    err() << "ferry-agent: " << message << Qt::endl;
    return 1;
}

} // namespace ferry::agent
