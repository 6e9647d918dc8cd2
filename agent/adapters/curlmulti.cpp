#include "agent/adapters/curlmulti.h"

#include <curl/curl.h>

#include <algorithm>

namespace ferry::agent::adapters {

CurlMulti::CurlMulti(int maxConnections)
    : m_multi(curl_multi_init())
{
    curl_multi_setopt(m_multi, CURLMOPT_MAXCONNECTS, long(maxConnections));
    curl_multi_setopt(m_multi, CURLMOPT_PIPELINING, long(CURLPIPE_MULTIPLEX));
}

CurlMulti::~CurlMulti()
{
    for (const auto &[easy, finished] : m_transfers)
        curl_multi_remove_handle(m_multi, easy);
    curl_multi_cleanup(m_multi);
}

void CurlMulti::add(CURL *easy, Finished finished)
{
    m_transfers.emplace(easy, std::move(finished));
    curl_multi_add_handle(m_multi, easy);
}

void CurlMulti::setMaxConnectionsPerHost(int connections)
{
    curl_multi_setopt(m_multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(std::max(0, connections)));
}

void CurlMulti::remove(CURL *easy)
{
    if (m_transfers.erase(easy) > 0)
        curl_multi_remove_handle(m_multi, easy);
}

void CurlMulti::perform()
{
    int running = 0;
    curl_multi_perform(m_multi, &running);
    int left = 0;
    while (CURLMsg *msg = curl_multi_info_read(m_multi, &left)) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        const int code = msg->data.result;
        auto it = m_transfers.find(easy);
        if (it == m_transfers.end())
            continue;
        Finished finished = std::move(it->second);
        m_transfers.erase(it);
        curl_multi_remove_handle(m_multi, easy);
        finished(code); // may delete the handle's owner
    }
}

void CurlMulti::wait(int extraFd, int timeoutMs)
{
    long curlTimeout = -1;
    curl_multi_timeout(m_multi, &curlTimeout);
    if (curlTimeout >= 0 && curlTimeout < timeoutMs)
        timeoutMs = int(curlTimeout);
    curl_waitfd fd{};
    fd.fd = extraFd;
    fd.events = CURL_WAIT_POLLIN;
    curl_multi_poll(m_multi, extraFd >= 0 ? &fd : nullptr, extraFd >= 0 ? 1 : 0, timeoutMs,
                    nullptr);
}

void CurlMulti::wakeup()
{
    curl_multi_wakeup(m_multi);
}

} // namespace ferry::agent::adapters
