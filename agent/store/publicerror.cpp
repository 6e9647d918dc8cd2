#include "agent/store/publicerror.h"

#include "agent/app/logging.h"

#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace ferry::agent::store {

namespace {

// 12 hex digits: unique enough to find one line in a day of logs, short enough to read out.
QString newReference()
{
    return QString::number(QRandomGenerator::global()->generate64() & 0xffffffffffffULL, 16)
        .rightJustified(12, u'0');
}

QString plainMessage(const Error &error, const QString &ref)
{
    if (error.sqlState == "57014")
        return u"the database took too long to answer; ask for less (a shorter period, a "
               "smaller page) or retry later (ref %1)"_s.arg(ref);
    if (error.connectionLost)
        return u"database unavailable, retry later (ref %1)"_s.arg(ref);
    return u"the database could not complete the request; retry later, and if it persists "
           "give the operator ref %1 (the agent's log has the details)"_s.arg(ref);
}

} // namespace

bool isDatabaseError(const Error &error)
{
    return !error.sqlState.isEmpty() || error.connectionLost;
}

PublicError publicError(const Error &error, const QString &context)
{
    if (!isDatabaseError(error))
        return {false, false, {}, error.message};
    PublicError out;
    out.database = true;
    out.timedOut = error.sqlState == "57014";
    out.ref = newReference();
    out.message = plainMessage(error, out.ref);
    qCWarning(lcStore).noquote() << "ref" << out.ref << context
                                 << (error.sqlState.isEmpty() ? QByteArray("(no SQLSTATE)")
                                                              : error.sqlState)
                                 << error.message;
    return out;
}

} // namespace ferry::agent::store
