#include "console/models/admin/producerkeymodel.h"

using namespace Qt::StringLiterals;

namespace ferry::console {

QStringList ProducerKeyModel::headers() const
{
    return {tr("Kind"), tr("Id"), tr("Public key"), tr("Created"), tr("Revoked")};
}

QVariant ProducerKeyModel::cell(const QJsonObject &item, int column, int role) const
{
    if (role == Qt::ForegroundRole)
        return greyed(!item.value("revoked_at"_L1).isNull());
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool curve = item.value("kind"_L1).toString() == "curve"_L1;
    switch (column) {
    case Kind:
        return curve ? tr("ZeroMQ key pair (CURVE)") : tr("HTTP token");
    case Id:
        return item.value("id"_L1).toInteger();
    case PublicKey:
        return curve ? item.value("public_key"_L1).toString() : u"—"_s;
    case Created:
        return timeCell(item, "created_at"_L1, role, u"—"_s);
    case Revoked:
        return timeCell(item, "revoked_at"_L1, role, tr("active"));
    default:
        return {};
    }
}

} // namespace ferry::console
