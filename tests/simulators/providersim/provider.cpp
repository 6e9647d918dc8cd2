#include "provider.h"

namespace ferry::sim {

Provider::Provider(QString name, quint64 seed, CallbackSender &callbacks)
    : m_name(std::move(name))
    , m_callbacks(callbacks)
    , m_faultRng(quint32(seed ^ qHash(m_name)))
    , m_idRng(quint32((seed + 0x9e3779b9u) ^ qHash(m_name)))
{}

QByteArray Provider::randomBytes(int bytes)
{
    QByteArray out(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i)
        out[i] = char(m_idRng.bounded(256));
    return out;
}

QString Provider::randomHex(int bytes)
{
    return QString::fromLatin1(randomBytes(bytes).toHex());
}

} // namespace ferry::sim
