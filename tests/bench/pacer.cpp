#include "tests/bench/pacer.h"

#include "tests/bench/benchsupport.h"
#include "tests/bench/feeder.h"
#include "tests/bench/load.h"

#include <algorithm>

using std::chrono::milliseconds;

namespace ferry::bench {

void Pacer::pace(Feeder &feeder, Load &load, double rate, milliseconds duration)
{
    const auto start = Clock::now();
    const auto end = start + duration;
    qint64 sent = 0;
    while (!load.stop.load() && Clock::now() < end) {
        const double elapsed = secondsSince(start);
        for (; double(sent) < elapsed * rate; ++sent)
            feeder.publishOne(false);
        const auto next = start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(double(sent) / rate));
        std::this_thread::sleep_until(std::min(next, end));
    }
}

} // namespace ferry::bench
