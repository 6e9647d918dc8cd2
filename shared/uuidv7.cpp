#include "shared/uuidv7.h"

#include <QDateTime>
#include <QRandomGenerator>

#include <openssl/rand.h>

namespace ferry {

QUuid createUuidV7()
{
    const auto ms = quint64(QDateTime::currentMSecsSinceEpoch());
    quint8 bytes[16];
    // OpenSSL's DRBG: cryptographic randomness from user space. QRandomGenerator::system()
    // executes RDSEED for every call, which is slow on virtual machines (it was 40 % of a batch
    // writer thread's time, one event id after another); it stays the fallback.
    if (RAND_bytes(bytes + 6, 10) != 1)
        QRandomGenerator::system()->generate(bytes + 6, bytes + 16);
    for (int i = 0; i < 6; ++i)
        bytes[i] = quint8(ms >> (40 - 8 * i));
    bytes[6] = quint8(0x70 | (bytes[6] & 0x0f)); // version 7
    bytes[8] = quint8(0x80 | (bytes[8] & 0x3f)); // RFC variant
    return QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(bytes), 16));
}

} // namespace ferry
