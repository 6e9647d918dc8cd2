#pragma once

// Failpoints: places where a test build can crash the process on purpose, to prove what a crash
// at exactly that point leaves behind. Compiled in only with the CMake option FERRY_FAILPOINTS
// (on in the dev, ci and asan presets, off in release builds and the package); otherwise
// FERRY_FAILPOINT(name) compiles to nothing.
//
// Armed by the environment: FERRY_FAILPOINT=name:N kills the process with SIGKILL (no exit
// handlers, no flush: as a power cut or the OOM killer would) the N-th time the point `name` is
// passed (N = 1 when omitted). FERRY_FAILPOINT=name:N:stall instead stops the thread that
// passes it there for good (it holds what it holds, as a host that vanished would). One
// failpoint per process.
//
// The points:
//   dispatch.after_delivered  an adapter reported a delivery as delivered (the receiver answered
//                             2xx), before the dispatcher committed that success.
//   retention.locked          the retention job holds its singleton lock, before it purges.

#ifdef FERRY_FAILPOINTS

#include <QByteArray>
#include <QList>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string_view>
#include <thread>

namespace ferry::failpoint {

struct Armed
{
    QByteArray name;
    long hitsBeforeCrash = 0; // 0: not armed
    bool stall = false;       // stop the thread instead of killing the process
};

inline const Armed &armed()
{
    static const Armed value = [] {
        Armed a;
        const QByteArray spec = qgetenv("FERRY_FAILPOINT");
        if (spec.isEmpty())
            return a;
        const QList<QByteArray> parts = spec.split(':');
        a.name = parts.value(0);
        a.hitsBeforeCrash = parts.size() < 2 ? 1 : std::max(1L, parts.value(1).toLong());
        a.stall = parts.value(2) == "stall";
        return a;
    }();
    return value;
}

inline void hit(std::string_view name)
{
    static std::atomic<long> hits{0};
    const Armed &a = armed();
    if (a.hitsBeforeCrash == 0 || std::string_view(a.name.constData(), a.name.size()) != name)
        return;
    if (hits.fetch_add(1) + 1 != a.hitsBeforeCrash)
        return;
    if (!a.stall)
        std::raise(SIGKILL);
    for (;;)
        std::this_thread::sleep_for(std::chrono::hours(1));
}

} // namespace ferry::failpoint

#define FERRY_FAILPOINT(name) ::ferry::failpoint::hit(name)

#else

#define FERRY_FAILPOINT(name) static_cast<void>(0)

#endif
