#pragma once

#include <functional>
#include <unordered_map>

using CURL = void; // as curl.h declares them
using CURLM = void;

namespace ferry::agent::adapters {

// The libcurl multi handle of one dispatch thread: every HTTP-based adapter of that thread adds
// its transfers here, so one loop drives all of them (keep-alive connections, HTTP/2 where the
// server offers it), and the dispatcher sleeps in wait() on the transfers and its own socket.
class CurlMulti
{
public:
    using Finished = std::function<void(int curlCode)>;

    explicit CurlMulti(int maxConnections);
    ~CurlMulti();
    CurlMulti(const CurlMulti &) = delete;
    CurlMulti &operator=(const CurlMulti &) = delete;

    // Starts `easy`; `finished` is called from perform() once it is done. The caller keeps
    // owning the handle; it is removed from the multi before `finished` runs.
    void add(CURL *easy, Finished finished);
    // At most `connections` connections to one host (0: no limit); further transfers to it
    // wait for a free connection (or share one over HTTP/2).
    void setMaxConnectionsPerHost(int connections);
    // Stops a transfer without calling its callback.
    void remove(CURL *easy);
    // Moves every transfer on as far as it can without blocking and reports the finished ones.
    void perform();
    // Sleeps until a transfer or `extraFd` (-1: none) has something to do, wakeup() is called,
    // or `timeoutMs` passes (shortened to libcurl's own timers).
    void wait(int extraFd, int timeoutMs);
    // Thread-safe: ends a wait() early.
    void wakeup();
    int running() const { return int(m_transfers.size()); }

private:
    CURLM *m_multi = nullptr;
    std::unordered_map<CURL *, Finished> m_transfers;
};

} // namespace ferry::agent::adapters
