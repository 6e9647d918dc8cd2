#pragma once

#include <QString>

namespace ferry::console {

// The API token's role, as GET /v1/whoami names it (Unknown until it answered). Ordered like the
// agent's roles.
enum class Role { Unknown, Viewer, Operator, Admin };

QString roleText(Role role);

} // namespace ferry::console
