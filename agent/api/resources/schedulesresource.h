#pragma once

#include "agent/api/apirequest.h"

// A tenant's schedules: cron expressions (or intervals) in a time zone, the event each slot
// emits, the catch-up policy, pause and resume, and the next slots.
namespace ferry::agent::api::schedules {

ApiReply list(const ApiRequest &request);
ApiReply get(const ApiRequest &request);
ApiReply put(const ApiRequest &request);
ApiReply remove(const ApiRequest &request);
ApiReply pause(const ApiRequest &request);
ApiReply resume(const ApiRequest &request);

} // namespace ferry::agent::api::schedules
