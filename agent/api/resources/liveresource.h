#pragma once

#include "agent/api/apirequest.h"

// The live feed's route. Its WebSocket handshake is taken by the server (ApiHttpServer) and the
// socket joins the LiveFeed; a plain HTTP request to it is answered here.
namespace ferry::agent::api::live {

// 426: the live feed needs a WebSocket.
ApiReply upgradeRequired(const ApiRequest &request);

} // namespace ferry::agent::api::live
