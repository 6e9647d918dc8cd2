#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ferry::agent::adapters {

struct HttpResponse;

// FCM's OAuth2 for a Google service account: a JWT signed RS256 with the account's private key,
// exchanged at the account's token_uri for an access token (the JWT-bearer grant).
class FcmAuth
{
public:
    static constexpr auto kScope = "https://www.googleapis.com/auth/firebase.messaging";
    static constexpr qint64 kAssertionLifetimeS = 3600;
    // Error::code of a token that cannot be had: the account is refused by the token endpoint,
    // or the service account itself is unusable (its key does not sign). Other errors: 0.
    static constexpr int kRefused = 401;
    static constexpr int kUnusableAccount = 400;

    // The parts of a service-account JSON (as Google's console downloads it) Ferry uses.
    struct ServiceAccount
    {
        QString projectId;
        QString clientEmail;
        QByteArray privateKeyPem;
        QString privateKeyId; // optional: the JWT's `kid`
        QString tokenUri;
    };

    struct AccessToken
    {
        QByteArray token;
        qint64 expiresInS = 0;
    };

    // Reads a service account; an error names the field that is missing.
    static Result<ServiceAccount> serviceAccount(const QJsonObject &json);
    // The signed JWT (header.claims.signature, base64url) issued at `issuedAt` (seconds since
    // the epoch): iss = client_email, scope = FCM, aud = token_uri, exp = iat + one hour.
    // Errors carry kUnusableAccount.
    static Result<QByteArray> assertion(const ServiceAccount &account, qint64 issuedAt);
    // The form body of the token request for `assertion`.
    static QByteArray tokenRequestBody(const QByteArray &assertion);
    // The token endpoint's answer; the error says whether the account itself is refused
    // (kRefused: invalid_grant and the like) or the endpoint failed (0: try later).
    static Result<AccessToken> parseTokenAnswer(const HttpResponse &response);
};

} // namespace ferry::agent::adapters
