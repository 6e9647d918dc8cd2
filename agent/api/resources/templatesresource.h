#pragma once

#include "agent/api/apirequest.h"

// A tenant's message templates, per channel and event type ('*': every type without one of its
// own). Every part is compiled before it is stored, and rendered against the sample event when
// the request brings one.
namespace ferry::agent::api::templates {

ApiReply list(const ApiRequest &request);
ApiReply get(const ApiRequest &request);
ApiReply put(const ApiRequest &request);
ApiReply remove(const ApiRequest &request);

} // namespace ferry::agent::api::templates
