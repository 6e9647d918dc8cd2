#pragma once

#include "agent/store/inbound/inboxstore.h"
#include "shared/result.h"

#include <QJsonObject>

namespace ferry::agent::inbound {

// The Ferry event (a CloudEvent 1.0 JSON object) that a domain webhook becomes: a Stripe event,
// a Standard Webhooks message or a generic HMAC-signed request. Its id is the provider's event
// id (or the inbox entry's, when the provider names none), so processing the entry again finds
// the event already stored. Errors say why the body cannot become an event; they are permanent.
Result<QJsonObject> domainEvent(const store::InboxEntry &entry);

} // namespace ferry::agent::inbound
