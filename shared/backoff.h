#pragma once

#include <QtGlobal>

#include <chrono>

class QRandomGenerator;

namespace ferry {

// Exponential backoff with full jitter: the delay before retry number `attempt` (1 = first
// retry) is uniform in [0, min(cap, base * 2^(attempt-1))].
struct BackoffPolicy
{
    std::chrono::milliseconds base{1000};
    std::chrono::milliseconds cap{600000};

    // The upper bound of the jittered delay for a retry.
    std::chrono::milliseconds ceiling(int attempt) const;
    // A jittered delay drawn from [0, ceiling(attempt)].
    std::chrono::milliseconds delay(int attempt, QRandomGenerator &rng) const;
};

} // namespace ferry
