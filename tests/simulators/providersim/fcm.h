#pragma once

#include "provider.h"
#include "rsakey.h"

#include <QHash>
#include <QJsonObject>

namespace ferry::sim {

// Firebase Cloud Messaging HTTP v1: Google's OAuth2 token endpoint for service accounts (a
// signed RS256 JWT for an access token) and messages:send.
class Fcm final : public Provider
{
public:
    Fcm(quint64 seed, CallbackSender &callbacks);

    // Makes a key pair and writes a Google service-account JSON for it to `path`.
    Result<bool> writeServiceAccount(const QString &path, const QString &projectId,
                                     const QString &tokenUri);
    // Trusts the service account in the JSON file at `path` (its token_uri is the audience).
    Result<bool> loadServiceAccount(const QString &path);
    // Every access token handed out so far stops working (a reset keeps them).
    void expireTokens() { m_tokens.clear(); }

    bool owns(const SimRequest &request) const override;
    bool faultsApply(const SimRequest &request) const override;
    std::optional<Answer> authenticate(const SimRequest &request) override;
    Answer handle(const SimRequest &request) override;
    Answer serverError(int status) const override;
    Answer throttled(int retryAfterS) const override;

private:
    struct Account
    {
        QString projectId;
        QString privateKeyId;
        QString tokenUri;
        RsaKey key;
    };
    struct Token
    {
        qint64 expiresAtMs = 0;
        QString projectId;
    };
    Result<bool> trust(const QJsonObject &serviceAccount);
    Answer issueToken(const SimRequest &request);
    Result<const Account *> verifyAssertion(const QByteArray &jwt) const;
    Answer send(const QString &project, const SimRequest &request);
    std::optional<Answer> validate(const QJsonObject &message);
    static Answer error(int status, const QString &grpcStatus, const QString &message,
                        const QString &fcmErrorCode = {});

    QHash<QString, Account> m_accounts; // client_email → account
    QHash<QByteArray, Token> m_tokens;
};

} // namespace ferry::sim
