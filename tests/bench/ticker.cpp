#include "tests/bench/ticker.h"

#include <cstdio>

using std::chrono::seconds;

namespace ferry::bench {

void Ticker::report(const char *what, qint64 value)
{
    if (Clock::now() < m_next)
        return;
    m_next += seconds(10);
    std::printf("    %s: %s after %.0f s\n", what, qPrintable(fmtInt(double(value))),
                secondsSince(m_started));
    std::fflush(stdout);
}

} // namespace ferry::bench
