#pragma once

#include "agent/api/apirequest.h"

// A tenant's workflows (definitions, each with its route) and their instances, with what every
// step did.
namespace ferry::agent::api::workflows {

ApiReply list(const ApiRequest &request);
ApiReply put(const ApiRequest &request);
ApiReply remove(const ApiRequest &request);
ApiReply instances(const ApiRequest &request);

} // namespace ferry::agent::api::workflows
