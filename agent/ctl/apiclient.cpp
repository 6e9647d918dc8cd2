#include "agent/ctl/apiclient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QStandardPaths>

#include <curl/curl.h>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

size_t appendTo(char *data, size_t size, size_t count, void *sink)
{
    static_cast<QByteArray *>(sink)->append(data, qsizetype(size) * qsizetype(count));
    return size * count;
}

QString spkiPin(const QByteArray &pem)
{
    const auto certs = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certs.isEmpty())
        return {};
    return u"sha256/"_s +
           QString::fromLatin1(QCryptographicHash::hash(certs.first().publicKey().toDer(),
                                                        QCryptographicHash::Sha256)
                                   .toBase64());
}

// The leaf certificate's pin from libcurl's certificate info (OpenSSL back end).
QString peerPin(CURL *curl)
{
    curl_certinfo *info = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info) != CURLE_OK || !info ||
        info->num_of_certs < 1)
        return {};
    for (curl_slist *s = info->certinfo[0]; s; s = s->next) {
        const QByteArray line(s->data);
        if (line.startsWith("Cert:"))
            return spkiPin(line.mid(5));
    }
    return {};
}

} // namespace

QString ApiProfile::defaultPath()
{
    const QByteArray env = qgetenv("FERRYCTL_CONFIG");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           u"/ferry/ferryctl.json"_s;
}

Result<ApiProfile> ApiProfile::load()
{
    ApiProfile p;
    p.path = defaultPath();
    QFile f(p.path);
    if (f.exists()) {
        if (!f.open(QIODevice::ReadOnly))
            return makeError(u"cannot read %1: %2"_s.arg(p.path, f.errorString()));
        const QJsonObject o = QJsonDocument::fromJson(f.readAll()).object();
        p.url = o.value("url"_L1).toString();
        p.token = o.value("token"_L1).toString().toUtf8();
        p.pin = o.value("pin"_L1).toString();
        p.caFile = o.value("ca_file"_L1).toString();
    }
    if (qEnvironmentVariableIsSet("FERRY_API_URL"))
        p.url = qEnvironmentVariable("FERRY_API_URL");
    if (qEnvironmentVariableIsSet("FERRY_API_TOKEN"))
        p.token = qgetenv("FERRY_API_TOKEN");
    if (p.url.isEmpty() || p.token.isEmpty())
        return makeError(u"not logged in: run 'ferryctl login --url https://HOST:7643 --pin "
                         "sha256/…' and give the token on standard input (or set FERRY_API_URL "
                         "and FERRY_API_TOKEN)"_s);
    return p;
}

Result<void> ApiProfile::save() const
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    // Created with 0600 before anything is written; QSaveFile keeps the mode on rename.
    const mode_t old = ::umask(077);
    QSaveFile f(path);
    const bool opened = f.open(QIODevice::WriteOnly);
    ::umask(old);
    if (!opened)
        return makeError(u"cannot write %1: %2"_s.arg(path, f.errorString()));
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QJsonObject o{{u"url"_s, url}, {u"token"_s, QString::fromUtf8(token)}};
    if (!pin.isEmpty())
        o.insert(u"pin"_s, pin);
    if (!caFile.isEmpty())
        o.insert(u"ca_file"_s, caFile);
    f.write(QJsonDocument(o).toJson());
    if (!f.commit())
        return makeError(u"cannot write %1: %2"_s.arg(path, f.errorString()));
    ::chmod(QFile::encodeName(path).constData(), 0600);
    return {};
}

QJsonValue ApiReply::json() const
{
    const auto doc = QJsonDocument::fromJson(body);
    if (doc.isArray())
        return doc.array();
    return doc.object();
}

QString ApiReply::problemText() const
{
    if (status == 0)
        return error;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString title = o.value("title"_L1).toString();
    const QString detail = o.value("detail"_L1).toString();
    if (title.isEmpty() && detail.isEmpty())
        return u"HTTP %1"_s.arg(status);
    return u"%1 %2: %3"_s.arg(status).arg(title, detail);
}

ApiReply apiCall(const ApiProfile &profile, const QByteArray &method, const QString &pathAndQuery,
                 const QByteArray &body, const QByteArray &accept)
{
    ApiReply r;
    if (!profile.url.startsWith("https://"_L1)) {
        r.error = u"the API URL must start with https:// (the agent's API is TLS only): %1"_s.arg(
            profile.url);
        return r;
    }
    CURL *c = curl_easy_init();
    curl_slist *headers = nullptr;
    headers = curl_slist_append(headers, ("Authorization: Bearer " + profile.token).constData());
    headers = curl_slist_append(headers, ("Accept: " + accept).constData());
    if (!body.isEmpty())
        headers = curl_slist_append(headers, "Content-Type: application/json");
    QString base = profile.url;
    while (base.endsWith(u'/'))
        base.chop(1);
    const QByteArray u = (base + pathAndQuery).toUtf8();
    const QByteArray pin = profile.pin.startsWith("sha256/"_L1)
                               ? "sha256//" + profile.pin.mid(7).toLatin1()
                               : QByteArray();
    const QByteArray ca = profile.caFile.toLocal8Bit();
    QByteArray headerBytes;
    curl_easy_setopt(c, CURLOPT_URL, u.constData());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.constData());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_SSLVERSION, long(CURL_SSLVERSION_TLSv1_2));
    curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
    if (!body.isEmpty() || method == "POST" || method == "PATCH" || method == "PUT") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.constData());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(body.size()));
    }
    if (!pin.isEmpty()) {
        // The pin is the trust: the certificate is self-signed and may name another host.
        curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, pin.constData());
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!ca.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.constData());
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, appendTo);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, appendTo);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &headerBytes);
    const CURLcode code = curl_easy_perform(c);
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        r.status = int(status);
        char *type = nullptr;
        if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type)
            r.contentType = type;
        r.peerFingerprint = peerPin(c);
    } else if (code == CURLE_SSL_PINNEDPUBKEYNOTMATCH) {
        r.error = u"the agent at %1 presented a certificate whose key does not match the "
                  "pinned fingerprint %2: this is not the agent you logged in to, or its "
                  "certificate was replaced. Nothing was sent. If the change is expected, log "
                  "in again with the new fingerprint from 'ferry-agent cert generate'."_s.arg(
                      profile.url, profile.pin);
    } else if (code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE) {
        r.error = u"the agent's certificate is not trusted (%1). Pin it with --pin "
                  "sha256/… as printed by 'ferry-agent cert generate', or give its CA with "
                  "--cacert"_s.arg(QString::fromUtf8(curl_easy_strerror(code)));
    } else {
        r.error = u"cannot reach the agent's API at %1: %2"_s.arg(
            profile.url, QString::fromUtf8(curl_easy_strerror(code)));
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return r;
}

Result<QString> fetchFingerprint(const QString &url)
{
    CURL *c = curl_easy_init();
    QByteArray sink;
    const QByteArray u = url.toUtf8();
    curl_easy_setopt(c, CURLOPT_URL, u.constData());
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, appendTo);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    const CURLcode code = curl_easy_perform(c);
    const QString pin = code == CURLE_OK ? peerPin(c) : QString();
    curl_easy_cleanup(c);
    if (code != CURLE_OK)
        return makeError(QString::fromUtf8(curl_easy_strerror(code)));
    return pin;
}

} // namespace ferry::ctl
