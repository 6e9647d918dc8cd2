#include "shared/backoff.h"

#include <QRandomGenerator>

#include <algorithm>

namespace ferry {

std::chrono::milliseconds BackoffPolicy::ceiling(int attempt) const
{
    if (attempt < 1)
        attempt = 1;
    const qint64 baseMs = std::max<qint64>(0, base.count());
    const qint64 capMs = std::max<qint64>(0, cap.count());
    // 2^62 overflows any sane cap long before; stop doubling once past the cap.
    qint64 value = baseMs;
    for (int i = 1; i < attempt && value < capMs; ++i)
        value = value > capMs / 2 ? capMs : value * 2;
    return std::chrono::milliseconds(std::min(value, capMs));
}

std::chrono::milliseconds BackoffPolicy::delay(int attempt, QRandomGenerator &rng) const
{
    const qint64 top = ceiling(attempt).count();
    if (top <= 0)
        return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(static_cast<qint64>(rng.bounded(quint64(top) + 1)));
}

} // namespace ferry
