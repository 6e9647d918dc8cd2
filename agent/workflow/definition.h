#pragma once

#include "shared/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace ferry::agent::workflow {

// One step of a workflow.
//   {"name": "email", "emit": "dunning.email", "compensate": "dunning.email.withdrawn"}
//     an adapter call: emits an event of that type, which the tenant's routes deliver (email,
//     SMS, a webhook, …); done when every delivery succeeded, failed for good when one is dead
//     or no route delivers the type.
//   {"name": "grace", "wait": "10m"}                       a delay
//   {"name": "notify", "publish": "dunning.started"}       an internal handler: publishes an
//     event to the tenant's stream without waiting for its deliveries
// `compensate` (emit and publish steps) names the event type emitted when a later step fails
// for good; compensations run in reverse order.
struct Step
{
    enum class Kind { Emit, Wait, Publish };
    QString name;
    Kind kind = Kind::Emit;
    QString type; // Emit, Publish: the event type
    qint64 waitMs = 0;
    QString compensate; // empty: nothing to undo
};

// The steps of a definition, checked: the error names the step and the field.
Result<QList<Step>> parseSteps(const QJsonArray &steps);

// A workflow as the API takes it: {"trigger", "cancel_on", "correlate", "steps"}.
struct Definition
{
    QString trigger;
    QStringList cancelOn;
    QStringList correlate; // the path of the correlation key in the event
    QJsonArray steps;
};
Result<Definition> parseDefinition(const QJsonObject &body);

} // namespace ferry::agent::workflow
