#pragma once

#include <QUuid>

namespace ferry {

// A time-ordered UUID (RFC 9562 version 7): new ids land at the right edge of a B-tree index,
// which keeps event and delivery inserts cheap.
QUuid createUuidV7();

} // namespace ferry
