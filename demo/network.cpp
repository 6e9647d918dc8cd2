#include "demo/network.h"

#include <QHostAddress>
#include <QTcpServer>

#include <curl/curl.h>

#include <memory>

namespace ferry::demo {

bool portIsFree(quint16 port)
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, port);
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

HttpAnswer httpGet(const QByteArray &url)
{
    HttpAnswer answer;
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(),
                                                                   &curl_easy_cleanup);
    curl_easy_setopt(easy.get(), CURLOPT_URL, url.constData());
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(
        easy.get(), CURLOPT_WRITEFUNCTION, +[](char *data, size_t size, size_t count, void *user) {
            static_cast<QByteArray *>(user)->append(data, qsizetype(size * count));
            return size * count;
        });
    if (curl_easy_perform(easy.get()) == CURLE_OK)
        curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
}

} // namespace ferry::demo
