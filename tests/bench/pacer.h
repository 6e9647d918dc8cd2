#pragma once

#include <chrono>
#include <thread>

namespace ferry::bench {

class Feeder;
struct Load;

// Publishes at `rate` events/s from its own thread for `duration`, on a fixed schedule: the
// events due since the last turn go out together, so a late turn does not lower the rate.
class Pacer
{
public:
    Pacer(Feeder &feeder, Load &load, double rate, std::chrono::milliseconds duration)
        : m_thread([&feeder, &load, rate, duration] { pace(feeder, load, rate, duration); })
    {}
    ~Pacer() { join(); }
    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    static void pace(Feeder &feeder, Load &load, double rate, std::chrono::milliseconds duration);

    std::thread m_thread;
};

} // namespace ferry::bench
