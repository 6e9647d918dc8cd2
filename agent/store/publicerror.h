#pragma once

#include "shared/result.h"

#include <QString>

namespace ferry::agent::store {

// What a client may be told of a store error. PostgreSQL's own text (table and constraint
// names, host names, user names, the server's version) stays in the agent's log: the client
// gets a plain sentence and a reference that finds the logged line.
struct PublicError
{
    bool database = false; // the database failed or refused (not a check of the store's own)
    bool timedOut = false; // the statement ran past its time limit (SQLSTATE 57014)
    QString ref;           // the log's correlation id; empty when `database` is false
    QString message;       // safe to answer with
};

// True for an error of PostgreSQL or of the connection to it (it carries an SQLSTATE or lost
// the connection); false for the store's own refusals, whose messages are written for users.
bool isDatabaseError(const Error &error);

// The one way from a store error to what a client sees: a database error is logged (category
// ferry.agent.store) with a fresh reference and answered as "database unavailable, retry later
// (ref 7f3a…)", or the like for a timeout or a refusal; the store's own errors keep their
// message. `context` names the caller in the log line, such as "api GET /v1/dlq".
PublicError publicError(const Error &error, const QString &context);

} // namespace ferry::agent::store
