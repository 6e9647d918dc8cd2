#include "console/models/workflows/workflowwords.h"

#include <QCoreApplication>
#include <QHash>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

const char *const kContext = "ferry::console::WorkflowWords";

// The texts are looked up when called: the UI language may be installed after start-up.
QString lookUp(const QHash<QString, const char *> &texts, const QString &word)
{
    const auto it = texts.constFind(word);
    return it == texts.constEnd() ? word : QCoreApplication::translate(kContext, *it);
}

} // namespace

QStringList workflowInstanceStates()
{
    return {u"running"_s,     u"completed"_s, u"compensating"_s,
            u"compensated"_s, u"failed"_s,    u"cancelled"_s};
}

QString workflowInstanceStateText(const QString &state)
{
    static const QHash<QString, const char *> texts = {
        {u"running"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "running")},
        {u"completed"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "completed")},
        {u"compensating"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "compensating")},
        {u"compensated"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "compensated")},
        {u"failed"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "failed")},
        {u"cancelled"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "cancelled")}};
    return lookUp(texts, state);
}

QString workflowPhaseText(const QString &phase)
{
    static const QHash<QString, const char *> texts = {
        {u"do"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "run")},
        {u"undo"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "undo")}};
    return lookUp(texts, phase);
}

QString workflowStepStateText(const QString &state)
{
    static const QHash<QString, const char *> texts = {
        {u"started"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "started")},
        {u"done"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "done")},
        {u"failed"_s, QT_TRANSLATE_NOOP("ferry::console::WorkflowWords", "failed")}};
    return lookUp(texts, state);
}

} // namespace ferry::console
