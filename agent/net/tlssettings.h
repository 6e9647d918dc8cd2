#pragma once

#include "shared/result.h"

#include <QSslConfiguration>
#include <QString>

namespace ferry::agent::net {

// A listener's certificate, key and optional client CA, and the config keys that name them.
struct TlsFiles
{
    QString certificate;
    QString privateKey;
    QString clientCa;  // set: clients must present a certificate this CA signed
    QString keyPrefix; // "api" or "http": the errors name api.certificate and so on
};

// The server side of TLS for a listener: TLS 1.2 or later, and only AEAD cipher suites with
// forward secrecy (Mozilla's "intermediate" profile); the error names the file and the key.
Result<QSslConfiguration> serverTls(const TlsFiles &files);

} // namespace ferry::agent::net
