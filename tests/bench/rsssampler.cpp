#include "tests/bench/rsssampler.h"

#include <QFile>
#include <QList>
#include <QString>

#include <algorithm>
#include <chrono>
#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::bench {

RssSampler::RssSampler(qint64 pid)
    : m_pid(pid)
{
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stop) {
            lock.unlock();
            sample();
            lock.lock();
            m_wake.wait_for(lock, std::chrono::milliseconds(50), [this] { return m_stop; });
        }
    });
}

RssSampler::~RssSampler()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void RssSampler::sample()
{
    QFile f(u"/proc/%1/status"_s.arg(m_pid));
    if (!f.open(QIODevice::ReadOnly))
        return;
    qint64 rss = 0, hwm = 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            rss = line.mid(6).trimmed().split(' ').first().toLongLong();
        else if (line.startsWith("VmHWM:"))
            hwm = line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    std::lock_guard lock(m_mutex);
    m_peakKb = std::max(m_peakKb, rss);
    m_scenarioPeakKb = std::max(m_scenarioPeakKb, rss);
    m_hwmKb = std::max(m_hwmKb, hwm);
    m_lastKb = rss;
}

qint64 RssSampler::takeScenarioPeakKb()
{
    sample();
    std::lock_guard lock(m_mutex);
    return std::exchange(m_scenarioPeakKb, m_lastKb);
}

qint64 RssSampler::peakKb() const
{
    std::lock_guard lock(m_mutex);
    return m_peakKb;
}

qint64 RssSampler::hwmKb() const
{
    std::lock_guard lock(m_mutex);
    return m_hwmKb;
}

} // namespace ferry::bench
