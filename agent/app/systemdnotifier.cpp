#include "agent/app/systemdnotifier.h"

#include "agent/app/logging.h"

#include <systemd/sd-daemon.h>

using namespace Qt::StringLiterals;

namespace ferry::agent {

SystemdNotifier::SystemdNotifier(Probes probes)
    : m_probes(std::move(probes))
{
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0)
        m_watchdogMs = qint64(usec / 1000);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
}

void SystemdNotifier::ready(const QString &status)
{
    m_readyStatus = status;
    m_lastStatus = status;
    notify(u"READY=1\nSTATUS="_s + status);
    // Once a second at most, so the status line follows the stages closely enough; at least
    // four times per watchdog period.
    m_timer.start(int(m_watchdogMs > 0 ? std::min<qint64>(m_watchdogMs / 4, 1000) : 1000));
}

void SystemdNotifier::stopping(const QString &status)
{
    m_stopping = true;
    notify(u"STOPPING=1\nSTATUS="_s + status);
}

void SystemdNotifier::extendStartup(const QString &status, qint64 ms)
{
    notify(u"EXTEND_TIMEOUT_USEC=%1\nSTATUS=%2"_s.arg(ms * 1000).arg(status));
}

// Feeds the watchdog while every stage turns, and keeps the status line current.
void SystemdNotifier::tick()
{
    if (m_stopping)
        return; // the drain has its own deadline (shutdown.grace, TimeoutStopSec=)
    const QString stuck = m_watchdogMs > 0 ? m_probes.stalled(m_watchdogMs / 2) : QString();
    QString status = m_readyStatus;
    if (!stuck.isEmpty())
        status = u"stalled: "_s + stuck;
    else if (const QString why = m_probes.unready(); !why.isEmpty())
        status = u"degraded: "_s + why;
    QString state;
    if (m_watchdogMs > 0 && stuck.isEmpty())
        state = u"WATCHDOG=1"_s;
    if (status != m_lastStatus) {
        if (!stuck.isEmpty())
            qCWarning(lcMain).noquote() << status << "- the systemd watchdog is no longer fed";
        m_lastStatus = status;
        state += (state.isEmpty() ? u""_s : u"\n"_s) + u"STATUS="_s + status;
    }
    if (!state.isEmpty())
        notify(state);
}

void SystemdNotifier::notify(const QString &state)
{
    sd_notify(0, state.toUtf8().constData());
}

} // namespace ferry::agent
