#pragma once

#include "agent/store/pgconnection.h"

namespace ferry::agent::store {

// How old the data on a connection may be: 0 on a primary; on a standby, the seconds since the
// last transaction it replayed was committed on the primary. Every transaction committed before
// then is visible there, so this bounds how far the standby is behind (the agents' heartbeats
// commit every few seconds, so a quiet installation reads a few seconds even when current).
class FreshnessStore
{
public:
    explicit FreshnessStore(PgConnection &db)
        : m_db(db)
    {}

    struct Freshness
    {
        bool standby = false;
        double maxAgeSeconds = 0; // infinity: the standby has not replayed a transaction yet
    };
    Result<Freshness> freshness();

private:
    PgConnection &m_db;
};

} // namespace ferry::agent::store
