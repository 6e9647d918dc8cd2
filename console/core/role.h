#pragma once

#include <QString>

namespace ferry::console {

// The API token's role as far as the console could tell (the API has no "who am I" route: see
// ApiClient::detectRole). Ordered like the agent's roles.
enum class Role { Unknown, Viewer, Operator, Admin };

QString roleText(Role role);

} // namespace ferry::console
