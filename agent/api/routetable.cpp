#include "agent/api/apiserver.h"

#include "agent/api/apirequest.h"
#include "agent/api/resources/agentsresource.h"
#include "agent/api/resources/auditresource.h"
#include "agent/api/resources/connectorsresource.h"
#include "agent/api/resources/credentialsresource.h"
#include "agent/api/resources/deliveriesresource.h"
#include "agent/api/resources/dlqresource.h"
#include "agent/api/resources/inboxresource.h"
#include "agent/api/resources/jobsresource.h"
#include "agent/api/resources/liveresource.h"
#include "agent/api/resources/messagesresource.h"
#include "agent/api/resources/overviewresource.h"
#include "agent/api/resources/producersresource.h"
#include "agent/api/resources/reconciliationresource.h"
#include "agent/api/resources/reportsresource.h"
#include "agent/api/resources/routesresource.h"
#include "agent/api/resources/schedulesresource.h"
#include "agent/api/resources/schemasresource.h"
#include "agent/api/resources/templatesresource.h"
#include "agent/api/resources/tenantsresource.h"
#include "agent/api/resources/tokensresource.h"
#include "agent/api/resources/workflowsresource.h"

using namespace Qt::StringLiterals;

namespace ferry::agent::api {

using store::Role;
using Scope = RouteInfo::Scope;
using Reads = RouteInfo::Reads;

RouteInfo::RouteInfo(QByteArray method_, QString path_, store::Role minRole_, Scope scope_,
                     QString summary_, ApiHandler handler_, Upgrade upgrade_)
    : method(std::move(method_))
    , path(std::move(path_))
    , minRole(minRole_)
    , scope(scope_)
    , summary(std::move(summary_))
    , handler(handler_)
    , upgrade(upgrade_)
{
    Q_ASSERT_X(handler, "RouteInfo", "every route has a handler");
}

RouteInfo::RouteInfo(QByteArray method_, QString path_, store::Role minRole_, Scope scope_,
                     QString summary_, ApiHandler handler_, Reads reads_)
    : RouteInfo(std::move(method_), std::move(path_), minRole_, scope_, std::move(summary_),
                handler_)
{
    reads = reads_;
}

// The route table: each route with its handler, in one place.
const QList<RouteInfo> &ApiServer::routes()
{
    static const QList<RouteInfo> table = {
        {"GET", u"/v1/whoami"_s, Role::Viewer, Scope::Filtered,
         u"The calling token: its role, tenant scope and the agent's version"_s, &overview::whoami},
        {"GET", u"/v1/overview"_s, Role::Viewer, Scope::Filtered,
         u"Deliveries by state, DLQ size, lag and recent events"_s, &overview::overview},
        {"GET", u"/v1/tenants"_s, Role::Viewer, Scope::Filtered, u"List tenants"_s, &tenants::list},
        {"POST", u"/v1/tenants"_s, Role::Admin, Scope::GlobalOnly,
         u"Create a tenant; answers its first producer token once"_s, &tenants::create},
        {"GET", u"/v1/tenants/{tenant}"_s, Role::Viewer, Scope::Tenant,
         u"One tenant with its quotas"_s, &tenants::get},
        {"GET", u"/v1/deliveries/{id}"_s, Role::Viewer, Scope::Tenant,
         u"A delivery's trace: event, attempts, notes"_s, &deliveries::trace},
        {"GET", u"/v1/dlq"_s, Role::Viewer, Scope::Filtered, u"List dead deliveries"_s, &dlq::list},
        {"GET", u"/v1/dlq/groups"_s, Role::Viewer, Scope::Filtered,
         u"Dead deliveries grouped by tenant, route and reason, the largest groups first"_s,
         &dlq::groups},
        {"POST", u"/v1/dlq/replay"_s, Role::Operator, Scope::Filtered,
         u"Replay by ids, or by filter with an optional dry run"_s, &dlq::replay},
        {"POST", u"/v1/dlq/{id}/discard"_s, Role::Operator, Scope::Tenant,
         u"Discard a dead delivery with a reason"_s, &dlq::discard},
        {"POST", u"/v1/dlq/{id}/notes"_s, Role::Operator, Scope::Tenant,
         u"Annotate, assign or triage a dead delivery"_s, &dlq::notes},
        {"GET", u"/v1/audit"_s, Role::Admin, Scope::Filtered,
         u"The audit log, newest first, filtered; as JSON or CSV"_s, &audit::list},
        {"GET", u"/v1/tokens"_s, Role::Admin, Scope::Filtered,
         u"API tokens: role, tenant scope, name, when made and revoked; never their secrets"_s,
         &tokens::list},
        {"POST", u"/v1/tokens"_s, Role::Admin, Scope::Filtered,
         u"Create an API token; answers its secret once"_s, &tokens::create},
        {"DELETE", u"/v1/tokens/{num}"_s, Role::Admin, Scope::Tenant,
         u"Revoke an API token (not the calling one); it stops working at once"_s, &tokens::revoke},
        {"GET", u"/v1/agents"_s, Role::Viewer, Scope::GlobalOnly,
         u"The agents on this database: version, uptime, heartbeat, singleton jobs"_s,
         &agents::list},
        {"GET", u"/v1/tenants/{tenant}/producers"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's producer tokens and CURVE keys"_s, &producers::list},
        {"POST", u"/v1/tenants/{tenant}/producers"_s, Role::Admin, Scope::Tenant,
         u"Create a producer token or CURVE key pair; answers its secret once"_s,
         &producers::create},
        {"DELETE", u"/v1/tenants/{tenant}/producers/{num}"_s, Role::Admin, Scope::Tenant,
         u"Revoke a producer token or CURVE key (?kind=token|curve)"_s, &producers::revoke},
        {"GET", u"/v1/routes"_s, Role::Viewer, Scope::Filtered, u"List routes"_s, &routes::list},
        {"POST", u"/v1/routes"_s, Role::Admin, Scope::Filtered,
         u"Create a route; answers a new signing secret once"_s, &routes::create},
        {"GET", u"/v1/routes/{num}"_s, Role::Viewer, Scope::Tenant, u"One route"_s, &routes::get},
        {"PATCH", u"/v1/routes/{num}"_s, Role::Admin, Scope::Tenant, u"Change a route"_s,
         &routes::change},
        {"DELETE", u"/v1/routes/{num}"_s, Role::Admin, Scope::Tenant,
         u"Disable a route; its deliveries keep their history"_s, &routes::disable},
        {"POST", u"/v1/routes/{num}/test"_s, Role::Operator, Scope::Tenant,
         u"Send a test event to this route alone; answers the delivery to follow"_s, &routes::test},
        {"GET", u"/v1/tenants/{tenant}/credentials"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's provider credentials: metadata, never secrets"_s, &credentials::list},
        {"PUT", u"/v1/tenants/{tenant}/credentials/{name}"_s, Role::Admin, Scope::Tenant,
         u"Store a provider credential, sealed with the master key"_s, &credentials::put},
        {"DELETE", u"/v1/tenants/{tenant}/credentials/{name}"_s, Role::Admin, Scope::Tenant,
         u"Delete a provider credential"_s, &credentials::remove},
        {"GET", u"/v1/tenants/{tenant}/connectors"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's inbound connectors: metadata, never secrets"_s, &connectors::list},
        {"PUT", u"/v1/tenants/{tenant}/connectors/{name}"_s, Role::Admin, Scope::Tenant,
         u"Store an inbound connector, its secrets sealed with the master key"_s, &connectors::put},
        {"DELETE", u"/v1/tenants/{tenant}/connectors/{name}"_s, Role::Admin, Scope::Tenant,
         u"Delete an inbound connector and its inbox"_s, &connectors::remove},
        {"GET", u"/v1/tenants/{tenant}/inbox"_s, Role::Viewer, Scope::Tenant,
         u"Inbound webhooks received, newest first (?state=pending|done|dead)"_s, &inbox::list},
        {"POST", u"/v1/tenants/{tenant}/inbox/replay"_s, Role::Operator, Scope::Tenant,
         u"Process dead inbox entries again"_s, &inbox::replay},
        {"GET", u"/v1/tenants/{tenant}/messages"_s, Role::Viewer, Scope::Tenant,
         u"Messages with their provider status and ledger entry, newest first"_s, &messages::list},
        {"GET", u"/v1/tenants/{tenant}/workflows"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's workflows"_s, &workflows::list},
        {"PUT", u"/v1/tenants/{tenant}/workflows/{name}"_s, Role::Admin, Scope::Tenant,
         u"Define a workflow: its trigger, cancelling events, correlation key and steps"_s,
         &workflows::put},
        {"DELETE", u"/v1/tenants/{tenant}/workflows/{name}"_s, Role::Admin, Scope::Tenant,
         u"Delete a workflow with its route and finished instances"_s, &workflows::remove},
        {"GET", u"/v1/tenants/{tenant}/workflow-instances"_s, Role::Viewer, Scope::Tenant,
         u"Workflow instances, newest first, with their steps (?workflow=&state=)"_s,
         &workflows::instances},
        {"GET", u"/v1/tenants/{tenant}/schedules"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's schedules with their next slots"_s, &schedules::list},
        {"GET", u"/v1/tenants/{tenant}/schedules/{name}"_s, Role::Viewer, Scope::Tenant,
         u"One schedule with its next slots and what it fired"_s, &schedules::get},
        {"PUT", u"/v1/tenants/{tenant}/schedules/{name}"_s, Role::Admin, Scope::Tenant,
         u"Create or replace a schedule: cron or interval, time zone, event, catch-up policy"_s,
         &schedules::put},
        {"DELETE", u"/v1/tenants/{tenant}/schedules/{name}"_s, Role::Admin, Scope::Tenant,
         u"Delete a schedule (the events it fired stay)"_s, &schedules::remove},
        {"POST", u"/v1/tenants/{tenant}/schedules/{name}/pause"_s, Role::Operator, Scope::Tenant,
         u"Pause a schedule: no slot fires until it is resumed"_s, &schedules::pause},
        {"POST", u"/v1/tenants/{tenant}/schedules/{name}/resume"_s, Role::Operator, Scope::Tenant,
         u"Resume a schedule from its next slot (the paused ones are not made up)"_s,
         &schedules::resume},
        {"GET", u"/v1/tenants/{tenant}/jobs"_s, Role::Viewer, Scope::Tenant,
         u"Exec jobs, newest first, with their progress (?state=&limit=)"_s, &jobs::list},
        {"GET", u"/v1/tenants/{tenant}/jobs/{id}"_s, Role::Viewer, Scope::Tenant,
         u"The latest run of a delivery's job, with its live progress"_s, &jobs::get},
        {"POST", u"/v1/tenants/{tenant}/jobs/{id}/cancel"_s, Role::Operator, Scope::Tenant,
         u"Cancel a running job: its process group is terminated, the delivery dead-lettered"_s,
         &jobs::cancel},
        {"GET", u"/v1/tenants/{tenant}/reconciliation"_s, Role::Viewer, Scope::Tenant,
         u"Reconciliation runs and the drifts they found (?run=ID)"_s, &reconciliation::report},
        {"POST", u"/v1/tenants/{tenant}/reconciliation"_s, Role::Operator, Scope::Tenant,
         u"Ask the providers about the tenant's messages without a final receipt now"_s,
         &reconciliation::request},
        {"PUT", u"/v1/tenants/{tenant}/prices/{channel}"_s, Role::Admin, Scope::Tenant,
         u"Set the unit price that estimates a channel's message costs"_s, &messages::putPrice},
        {"GET", u"/v1/tenants/{tenant}/schemas"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's schema registry: event types, their versions and required fields"_s,
         &schemas::list},
        {"PUT", u"/v1/tenants/{tenant}/schemas/{eventType}/{version}"_s, Role::Admin, Scope::Tenant,
         u"Register a version of an event type with the fields its data must carry"_s,
         &schemas::put},
        {"DELETE", u"/v1/tenants/{tenant}/schemas/{eventType}/{version}"_s, Role::Admin,
         Scope::Tenant, u"Delete a version of an event type from the registry"_s, &schemas::remove},
        {"GET", u"/v1/tenants/{tenant}/templates"_s, Role::Viewer, Scope::Tenant,
         u"A tenant's message templates"_s, &templates::list},
        {"GET", u"/v1/tenants/{tenant}/templates/{channel}/{eventType}"_s, Role::Viewer,
         Scope::Tenant, u"One message template"_s, &templates::get},
        {"PUT", u"/v1/tenants/{tenant}/templates/{channel}/{eventType}"_s, Role::Admin,
         Scope::Tenant,
         u"Store a message template, compiled and rendered against an optional sample event"_s,
         &templates::put},
        {"DELETE", u"/v1/tenants/{tenant}/templates/{channel}/{eventType}"_s, Role::Admin,
         Scope::Tenant, u"Delete a message template"_s, &templates::remove},
        {"PATCH", u"/v1/tenants/{tenant}"_s, Role::Admin, Scope::GlobalOnly,
         u"Change a tenant's quotas, SLA targets and allowed networks"_s, &tenants::change},
        {"DELETE", u"/v1/tenants/{tenant}"_s, Role::Admin, Scope::GlobalOnly,
         u"Delete a tenant with all its data"_s, &tenants::remove},
        {"GET", u"/v1/sla"_s, Role::Viewer, Scope::Filtered,
         u"SLA attainment per tenant over a window"_s, &overview::sla, Reads::Replica},
        {"GET", u"/v1/deliveries"_s, Role::Viewer, Scope::Filtered,
         u"Search deliveries, newest first, with keyset pagination"_s, &deliveries::search,
         Reads::Replica},
        {"GET", u"/v1/reports/deliveries"_s, Role::Admin, Scope::Filtered,
         u"A tenant's deliveries by channel and state for a period, as JSON or CSV"_s,
         &reports::deliveries, Reads::Replica},
        {"GET", u"/v1/live"_s, Role::Viewer, Scope::Filtered,
         u"WebSocket: a snapshot of the agent every second"_s, &live::upgradeRequired,
         RouteInfo::Upgrade::WebSocket},
    };
    return table;
}

} // namespace ferry::agent::api
