#pragma once

#include <QtGlobal>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace ferry::bench {

// Samples a process's VmRSS (and VmHWM, the kernel's own peak) every 50 ms on its own thread.
class RssSampler
{
public:
    explicit RssSampler(qint64 pid);
    ~RssSampler();
    RssSampler(const RssSampler &) = delete;
    RssSampler &operator=(const RssSampler &) = delete;

    void sample();
    // Peak VmRSS since the last call (one scenario), in kB.
    qint64 takeScenarioPeakKb();
    qint64 peakKb() const;
    qint64 hwmKb() const;

private:
    qint64 m_pid;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    qint64 m_peakKb = 0, m_scenarioPeakKb = 0, m_hwmKb = 0, m_lastKb = 0;
    std::thread m_thread;
};

} // namespace ferry::bench
