#include "console/models/jobs/jobwords.h"

#include "console/core/uiformat.h"

#include <QCoreApplication>
#include <QHash>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

const char *const kContext = "ferry::console::JobWords";

// The texts are looked up when called: the UI language may be installed after start-up.
QString lookUp(const QHash<QString, const char *> &texts, const QString &word)
{
    const auto it = texts.constFind(word);
    return it == texts.constEnd() ? word : QCoreApplication::translate(kContext, *it);
}

} // namespace

QStringList jobStates()
{
    return {u"running"_s,   u"succeeded"_s, u"failed"_s, u"retrying"_s,
            u"timed_out"_s, u"cancelled"_s, u"lost"_s};
}

QString jobStateText(const QString &state)
{
    static const QHash<QString, const char *> texts = {
        {u"running"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "running")},
        {u"succeeded"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "succeeded")},
        {u"failed"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "failed")},
        {u"retrying"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "failed, will retry")},
        {u"timed_out"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "timed out")},
        {u"cancelled"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "cancelled")},
        {u"lost"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "lost")}};
    return lookUp(texts, state);
}

QString jobStoppingText()
{
    return QCoreApplication::translate("ferry::console::JobWords", "stopping");
}

QString scheduleStateText(bool paused)
{
    return paused ? QCoreApplication::translate("ferry::console::JobWords", "paused")
                  : QCoreApplication::translate("ferry::console::JobWords", "active");
}

QString catchUpText(const QString &policy, int limit)
{
    if (policy == "all"_L1)
        return QCoreApplication::translate("ferry::console::JobWords",
                                           "missed slots: each fired (the last %1 at most)")
            .arg(countText(limit));
    static const QHash<QString, const char *> texts = {
        {u"skip"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "missed slots: skipped")},
        {u"once"_s, QT_TRANSLATE_NOOP("ferry::console::JobWords", "missed slots: fired once")}};
    return lookUp(texts, policy);
}

QString zoneTimeText(const QDateTime &t, const QString &zone)
{
    if (!t.isValid())
        return u"—"_s;
    QTimeZone tz(zone.toUtf8());
    if (!tz.isValid())
        tz = QTimeZone::utc();
    return dateTimeText(t.toTimeZone(tz));
}

} // namespace ferry::console
