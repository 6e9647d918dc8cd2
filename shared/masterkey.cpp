#include "shared/masterkey.h"

#include <QFile>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

QByteArray keyedHash(const unsigned char *key, const QByteArray &context, const QByteArray &data)
{
    // BLAKE2b keyed with the master key over a context label and the data: 8 bytes, hex.
    unsigned char out[8];
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, MasterKey::kKeyBytes, sizeof out);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(context.constData()),
                              size_t(context.size()));
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char *>(data.constData()),
                              size_t(data.size()));
    crypto_generichash_final(&state, out, sizeof out);
    return QByteArray(reinterpret_cast<const char *>(out), sizeof out).toHex();
}

// A key file anyone but its owner may read or change, or that belongs to another user, is
// refused: the key would no longer be the service's alone. Root may read any owner's file.
Result<void> checkKeyFileAccess(const QString &path, int fd)
{
    struct stat st = {};
    if (::fstat(fd, &st) != 0)
        return makeError(u"cannot check the master key file %1: %2"_s.arg(
            path, QString::fromLocal8Bit(strerror(errno))));
    const unsigned mode = st.st_mode & 07777;
    if (mode & 077)
        return makeError(u"the master key file %1 has mode %2, so users other than its owner may "
                         "read or change it: run 'chmod 600 %1' (and check who could have read "
                         "it)"_s.arg(path)
                             .arg(mode, 4, 8, QLatin1Char('0')));
    const uid_t me = ::geteuid();
    if (me != 0 && st.st_uid != me)
        return makeError(u"the master key file %1 belongs to uid %2, not to the user this agent "
                         "runs as (uid %3): run 'chown %3 %1' as root, or use systemd's "
                         "LoadCredential=ferry-master-key:%1"_s.arg(path)
                             .arg(st.st_uid)
                             .arg(me));
    return {};
}

} // namespace

// The key bytes, locked in memory and wiped when the last copy of the key goes.
struct MasterKey::Secret
{
    unsigned char key[kKeyBytes];
    QByteArray id;
    Secret() { sodium_mlock(key, sizeof key); }
    ~Secret() { sodium_munlock(key, sizeof key); }
    Secret(const Secret &) = delete;
    Secret &operator=(const Secret &) = delete;
};

MasterKey::MasterKey(std::shared_ptr<const Secret> secret)
    : m_secret(std::move(secret))
{}

Result<MasterKey> MasterKey::fromBytes(const QByteArray &raw)
{
    if (!sodiumReady())
        return makeError(u"libsodium could not be initialised"_s);
    if (raw.size() != kKeyBytes)
        return makeError(u"a master key has %1 bytes, not %2"_s.arg(kKeyBytes).arg(raw.size()));
    auto secret = std::make_shared<Secret>();
    memcpy(secret->key, raw.constData(), kKeyBytes);
    secret->id = keyedHash(secret->key, "ferry master key id v1", {});
    return MasterKey(std::move(secret));
}

Result<MasterKey> MasterKey::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"cannot read the master key file %1: %2 (create one with 'ferry-agent "
                         "credentials generate-key %1')"_s.arg(path, file.errorString()));
    if (auto access = checkKeyFileAccess(path, file.handle()); !access)
        return access.error();
    QByteArray text = file.read(4096).trimmed();
    const auto decoded =
        QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    sodium_memzero(text.data(), size_t(text.size()));
    if (!decoded || decoded.decoded.size() != kKeyBytes)
        return makeError(u"the master key file %1 does not hold a key: expected one line of "
                         "base64 with 32 bytes, as 'ferry-agent credentials generate-key' "
                         "writes"_s.arg(path));
    QByteArray raw = decoded.decoded;
    auto key = fromBytes(raw);
    sodium_memzero(raw.data(), size_t(raw.size()));
    return key;
}

Result<void> MasterKey::generate(const QString &path)
{
    if (!sodiumReady())
        return makeError(u"libsodium could not be initialised"_s);
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        const int error = errno;
        if (error == EEXIST)
            return makeError(
                u"%1 already exists; a master key is never overwritten (credentials "
                "sealed under it would be lost): choose another file name"_s.arg(path));
        return makeError(
            u"cannot create %1: %2"_s.arg(path, QString::fromLocal8Bit(strerror(error))));
    }
    unsigned char key[kKeyBytes];
    randombytes_buf(key, sizeof key);
    QByteArray line = QByteArray(reinterpret_cast<const char *>(key), sizeof key).toBase64();
    line.append('\n');
    sodium_memzero(key, sizeof key);
    const bool written = ::fchmod(fd, 0600) == 0 &&
                         ::write(fd, line.constData(), size_t(line.size())) == line.size() &&
                         ::fsync(fd) == 0;
    sodium_memzero(line.data(), size_t(line.size()));
    ::close(fd);
    if (!written) {
        ::unlink(native.constData());
        return makeError(u"cannot write the master key to %1"_s.arg(path));
    }
    return {};
}

QByteArray MasterKey::id() const
{
    return m_secret->id;
}

QByteArray MasterKey::seal(const QByteArray &plaintext, QByteArray *nonce) const
{
    nonce->resize(kNonceBytes);
    randombytes_buf(nonce->data(), kNonceBytes);
    QByteArray out(qsizetype(crypto_secretbox_MACBYTES) + plaintext.size(), Qt::Uninitialized);
    crypto_secretbox_easy(
        reinterpret_cast<unsigned char *>(out.data()),
        reinterpret_cast<const unsigned char *>(plaintext.constData()), size_t(plaintext.size()),
        reinterpret_cast<const unsigned char *>(nonce->constData()), m_secret->key);
    return out;
}

Result<QByteArray> MasterKey::open(const QByteArray &ciphertext, const QByteArray &nonce) const
{
    if (nonce.size() != kNonceBytes || ciphertext.size() < qsizetype(crypto_secretbox_MACBYTES))
        return makeError(u"the sealed value is truncated"_s);
    QByteArray out(ciphertext.size() - qsizetype(crypto_secretbox_MACBYTES), Qt::Uninitialized);
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(out.data()),
                                   reinterpret_cast<const unsigned char *>(ciphertext.constData()),
                                   size_t(ciphertext.size()),
                                   reinterpret_cast<const unsigned char *>(nonce.constData()),
                                   m_secret->key) != 0)
        return makeError(u"the sealed value does not open with this master key (altered, or "
                         "sealed under another key)"_s);
    return out;
}

QByteArray MasterKey::fingerprint(const QByteArray &value) const
{
    return keyedHash(m_secret->key, "ferry credential fingerprint v1", value);
}

} // namespace ferry
