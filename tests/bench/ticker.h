#pragma once

#include "tests/bench/benchsupport.h"

#include <chrono>

namespace ferry::bench {

// Prints a line every 10 s while a long wait lasts, so that a slow run shows it is alive.
class Ticker
{
public:
    void report(const char *what, qint64 value);

private:
    Clock::time_point m_started = Clock::now();
    Clock::time_point m_next = m_started + std::chrono::seconds(10);
};

} // namespace ferry::bench
