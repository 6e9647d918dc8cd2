#pragma once

#include "shared/result.h"

#include <QByteArray>

#include <memory>

#include <openssl/types.h>

namespace ferry::sim {

// An RSA key pair (OpenSSL): made fresh or read from PEM, written as PKCS#8 PEM, and checking
// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures.
class RsaKey
{
public:
    RsaKey() = default; // no key: verifies nothing
    static Result<RsaKey> generate(int bits = 2048);
    static Result<RsaKey> fromPrivatePem(const QByteArray &pem);

    QByteArray privatePem() const;
    bool verifyRs256(const QByteArray &data, const QByteArray &signature) const;

private:
    explicit RsaKey(EVP_PKEY *key);
    std::shared_ptr<EVP_PKEY> m_key;
};

} // namespace ferry::sim
