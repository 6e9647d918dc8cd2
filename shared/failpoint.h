#pragma once

// Failpoints: places where a test build can crash the process on purpose, to prove what a crash
// at exactly that point leaves behind. Compiled in only with the CMake option FERRY_FAILPOINTS
// (on in the dev, ci and asan presets, off in release builds and the package); otherwise
// FERRY_FAILPOINT(name) compiles to nothing.
//
// Armed by the environment: FERRY_FAILPOINT=name:N kills the process with SIGKILL (no exit
// handlers, no flush: as a power cut or the OOM killer would) the N-th time the point `name` is
// passed (N = 1 when omitted). One failpoint per process.
//
// The points:
//   dispatch.after_delivered  an adapter reported a delivery as delivered (the receiver answered
//                             2xx), before the dispatcher committed that success.

#ifdef FERRY_FAILPOINTS

#include <QByteArray>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string_view>

namespace ferry::failpoint {

struct Armed
{
    QByteArray name;
    long hitsBeforeCrash = 0; // 0: not armed
};

inline const Armed &armed()
{
    static const Armed value = [] {
        Armed a;
        const QByteArray spec = qgetenv("FERRY_FAILPOINT");
        if (spec.isEmpty())
            return a;
        const qsizetype colon = spec.indexOf(':');
        a.name = colon < 0 ? spec : spec.left(colon);
        a.hitsBeforeCrash = colon < 0 ? 1 : std::max(1L, spec.mid(colon + 1).toLong());
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
    if (hits.fetch_add(1) + 1 == a.hitsBeforeCrash)
        std::raise(SIGKILL);
}

} // namespace ferry::failpoint

#define FERRY_FAILPOINT(name) ::ferry::failpoint::hit(name)

#else

#define FERRY_FAILPOINT(name) static_cast<void>(0)

#endif
