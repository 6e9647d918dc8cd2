#include "tests/bench/load.h"

namespace ferry::bench {

void Load::fail(const QString &why)
{
    {
        std::lock_guard lock(mutex);
        if (firstError.isEmpty())
            firstError = why;
    }
    ++failures;
    stop = true;
    changed.notify_all();
}

void Load::requestDone()
{
    if (--inFlight == 0) {
        std::lock_guard lock(mutex);
        changed.notify_all();
    }
}

void Load::waitFor(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex);
    changed.wait_for(lock, timeout, [this] { return failures.load() > 0; });
}

bool Load::waitIdle(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, [this] { return inFlight.load() == 0; });
}

} // namespace ferry::bench
