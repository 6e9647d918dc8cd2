#pragma once

#include "tests/bench/benchsupport.h"

#include <chrono>

namespace ferry::bench {

// Tells when a value stopped changing for longer than `limit`: the dispatcher stalled.
class ProgressWatch
{
public:
    explicit ProgressWatch(std::chrono::seconds limit)
        : m_limit(limit)
    {}
    bool stalled(qint64 value)
    {
        if (value != m_last) {
            m_last = value;
            m_at = Clock::now();
        }
        return Clock::now() - m_at > m_limit;
    }

private:
    std::chrono::seconds m_limit;
    qint64 m_last = -1;
    Clock::time_point m_at = Clock::now();
};

} // namespace ferry::bench
