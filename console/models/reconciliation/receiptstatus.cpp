#include "console/models/reconciliation/receiptstatus.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

const char *const kContext = "ferry::console::ReceiptStatus";

QString translated(const char *text)
{
    return QCoreApplication::translate(kContext, text);
}

} // namespace

QString receiptStatusText(const QString &status)
{
    // The texts are looked up when called: the UI language may be installed after start-up.
    static const QHash<QString, const char *> texts = {
        {u"accepted"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "accepted")},
        {u"sent"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "sent")},
        {u"delivered"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "delivered")},
        {u"read"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "read")},
        {u"undelivered"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "undelivered")},
        {u"failed"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "failed")},
        {u"bounced"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "bounced")},
        {u"queued"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "queued")},
        {u"scheduled"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "scheduled")},
        {u"sending"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "sending")},
        {u"canceled"_s, QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "canceled")}};
    const auto it = texts.constFind(status);
    return it == texts.constEnd() ? status : translated(*it);
}

QString reconcileActionText(const QString &action)
{
    static const QRegularExpression moved(u"^moved from (\\S+) to (\\S+)$"_s);
    static const QRegularExpression kept(u"^kept (\\S+): the provider reports an earlier state$"_s);
    if (const auto m = moved.match(action); m.hasMatch())
        return translated(QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "moved from %1 to %2"))
            .arg(receiptStatusText(m.captured(1)), receiptStatusText(m.captured(2)));
    if (const auto m = kept.match(action); m.hasMatch())
        return translated(QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus",
                                            "kept %1: the provider reports an earlier state"))
            .arg(receiptStatusText(m.captured(1)));
    return action;
}

QString runStateText(const QString &state)
{
    if (state == "waiting"_L1)
        return translated(QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "waiting"));
    if (state == "running"_L1)
        return translated(QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "running"));
    if (state == "finished"_L1)
        return translated(QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "finished"));
    return state;
}

QString runTriggerText(const QString &trigger)
{
    if (trigger == "schedule"_L1)
        return translated(QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "by schedule"));
    if (trigger == "request"_L1)
        return translated(QT_TRANSLATE_NOOP("ferry::console::ReceiptStatus", "on request"));
    return trigger;
}

} // namespace ferry::console
