#include "agent/app/logging.h"

Q_LOGGING_CATEGORY(lcMain, "ferry.agent", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIngest, "ferry.agent.ingest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "ferry.agent.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRouting, "ferry.agent.routing", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDispatch, "ferry.agent.dispatch", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAdapters, "ferry.agent.adapters", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMetrics, "ferry.agent.metrics", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSchedule, "ferry.agent.schedule", QtInfoMsg)
