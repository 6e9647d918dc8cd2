#include "console/core/role.h"

#include <QCoreApplication>

namespace ferry::console {

QString roleText(Role role)
{
    switch (role) {
    case Role::Viewer:
        return QCoreApplication::translate("ferry::console::Role", "viewer");
    case Role::Operator:
        return QCoreApplication::translate("ferry::console::Role", "operator");
    case Role::Admin:
        return QCoreApplication::translate("ferry::console::Role", "admin");
    case Role::Unknown:
        break;
    }
    return QCoreApplication::translate("ferry::console::Role", "unknown role");
}

} // namespace ferry::console
