#pragma once

#include "shared/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace ferry::sim {

// How a provider misbehaves. Rates are shares of requests (0..1), drawn from the provider's
// seeded generator; the defaults make a well-behaved provider.
struct Knobs
{
    double latencyMs = 0;
    double errorRate = 0;
    double errorStatus = 500;
    double throttleRate = 0;
    double retryAfterS = 1;
    double timeoutRate = 0;
    double resetRate = 0;
    double loseResponseRate = 0;
    double duplicateCallbacks = 0;
    double dropCallbacks = 0;
    double reorderCallbacks = 0;
    double callbackDelayMs = 20;
    double tokenLifetimeS = 3599; // FCM access tokens

    // Sets the knobs named in `json` (other keys are refused); the knobs stay unchanged on error.
    Result<bool> apply(const QJsonObject &json);
    QJsonObject toJson() const;
};

// One knob: its JSON name (the command-line flag is the same with '-' for '_'), its field, its
// range and what it does. The one table the parser, the flags and the README follow.
struct KnobInfo
{
    const char *name;
    double Knobs::*field;
    double min;
    double max;
    const char *help;
};
const QList<KnobInfo> &knobTable();

} // namespace ferry::sim
