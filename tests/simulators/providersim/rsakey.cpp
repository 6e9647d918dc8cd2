#include "rsakey.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

using namespace Qt::StringLiterals;

namespace ferry::sim {

RsaKey::RsaKey(EVP_PKEY *key)
    : m_key(key, EVP_PKEY_free)
{}

Result<RsaKey> RsaKey::generate(int bits)
{
    EVP_PKEY *key = EVP_RSA_gen(unsigned(bits));
    if (!key)
        return makeError(u"cannot generate an RSA key (OpenSSL)"_s);
    return RsaKey(key);
}

Result<RsaKey> RsaKey::fromPrivatePem(const QByteArray &pem)
{
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(pem.constData(), int(pem.size())), BIO_free);
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        return makeError(u"the private_key is not an RSA key in PEM"_s);
    }
    return RsaKey(key);
}

QByteArray RsaKey::privatePem() const
{
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr))
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

bool RsaKey::verifyRs256(const QByteArray &data, const QByteArray &signature) const
{
    if (!m_key)
        return false;
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                      EVP_MD_CTX_free);
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_key.get()) != 1)
        return false;
    return EVP_DigestVerify(
               ctx.get(), reinterpret_cast<const unsigned char *>(signature.constData()),
               size_t(signature.size()), reinterpret_cast<const unsigned char *>(data.constData()),
               size_t(data.size())) == 1;
}

} // namespace ferry::sim
