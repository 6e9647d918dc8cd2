#pragma once

#include <QString>
#include <QTimer>

#include <functional>

namespace ferry::agent {

// The agent's side of systemd's notification protocol (sd_notify(3)), for the unit's
// Type=notify: READY=1 once every listener is up, STATUS= lines that `systemctl status` shows,
// STOPPING=1 on shutdown, and the watchdog. Without $NOTIFY_SOCKET (not started by systemd)
// every call does nothing.
//
// The watchdog (WatchdogSec= in the unit, $WATCHDOG_USEC here) is fed every quarter of its
// period, and only while `stalled` returns nothing: a batch writer lane or dispatch worker
// whose loop has not turned for half the period stops the feeding, and systemd kills and
// restarts the agent. A stage merely waiting for PostgreSQL still turns its loop, so a database
// outage does not (a restart would not bring the database back).
class SystemdNotifier
{
public:
    struct Probes
    {
        // Why a stage is stuck, given how long a loop may stand still (ms); empty: all turn.
        std::function<QString(qint64 stuckMs)> stalled;
        // Why the agent is not ready (GET /readyz); empty when it is.
        std::function<QString()> unready;
    };

    explicit SystemdNotifier(Probes probes);

    // READY=1 with the status line; starts the watchdog when systemd asked for one.
    void ready(const QString &status);
    void stopping(const QString &status);
    // Before READY=1: more time to start (EXTEND_TIMEOUT_USEC) for a slow step, with its status.
    static void extendStartup(const QString &status, qint64 ms);
    // The watchdog period systemd asked for, in ms; 0 when none.
    qint64 watchdogMs() const { return m_watchdogMs; }

private:
    void tick();
    static void notify(const QString &state);

    Probes m_probes;
    QString m_readyStatus;
    QString m_lastStatus;
    qint64 m_watchdogMs = 0;
    QTimer m_timer;
    bool m_stopping = false;
};

} // namespace ferry::agent
