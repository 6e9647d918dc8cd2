#pragma once

#include "agent/api/apirequest.h"

// The dead-letter queue: list, triage groups, replay (by ids or filter), discard, notes.
namespace ferry::agent::api::dlq {

ApiReply list(const ApiRequest &request);
ApiReply groups(const ApiRequest &request);
ApiReply replay(const ApiRequest &request);
ApiReply discard(const ApiRequest &request);
ApiReply notes(const ApiRequest &request);

} // namespace ferry::agent::api::dlq
