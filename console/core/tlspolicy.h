#pragma once

#include "console/core/connectionprofile.h"

#include <QList>
#include <QSslConfiguration>

class QSslCertificate;
class QSslError;

namespace ferry::console {

// "sha256/<base64 of the SHA-256 of the SubjectPublicKeyInfo>": the format `ferry-agent cert
// generate` prints, so a user can compare the two.
QString spkiFingerprint(const QSslCertificate &certificate);

// What a connection to the profile's agent trusts: the system CAs, the system CAs plus a CA
// file, or (pinned) no CA at all, so that every certificate goes through the pin check.
QSslConfiguration sslConfigurationFor(const ConnectionProfile &profile, QString *error);

enum class PinVerdict { Accepted, Unpinned, Mismatch };

// For a pinned profile: does this peer certificate carry the pinned key?
PinVerdict checkPin(const ConnectionProfile &profile, const QSslCertificate &peer);

// The pin check of every connection to a pinned agent (the API's requests and the live feed):
// the peer's certificate when the TLS layer already has it, else every certificate the TLS
// errors name (checkPinErrors). *fingerprint gets the key fingerprint the agent presented.
PinVerdict pinVerdict(const ConnectionProfile &profile, const QSslCertificate &peer,
                      const QList<QSslError> &errors, QString *fingerprint);

// For a pinned profile: may these TLS errors be ignored? Only when every certificate they
// name carries the pinned key (a self-signed or unknown-issuer certificate with that key).
PinVerdict checkPinErrors(const ConnectionProfile &profile, const QList<QSslError> &errors,
                          QString *fingerprint);

} // namespace ferry::console
