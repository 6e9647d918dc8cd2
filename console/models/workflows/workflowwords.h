#pragma once

#include <QString>
#include <QStringList>

namespace ferry::console {

// The words the agent uses for workflows, in the UI language. Words the console does not know
// are shown as the agent sent them.

// The instance states, in the order the filter offers them.
QStringList workflowInstanceStates();
// An instance's state: running, completed, compensating, compensated, failed, cancelled.
QString workflowInstanceStateText(const QString &state);
// A step's phase: "do" (the step ran) reads "run", "undo" (it was compensated) "undo".
QString workflowPhaseText(const QString &phase);
// A step's state: started, done, failed.
QString workflowStepStateText(const QString &state);

} // namespace ferry::console
