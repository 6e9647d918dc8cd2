#include "agent/store/readmodels/freshnessstore.h"

#include <limits>

namespace ferry::agent::store {

Result<FreshnessStore::Freshness> FreshnessStore::freshness()
{
    auto r = m_db.execPrepared(
        "SELECT pg_is_in_recovery(),"
        " extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8");
    if (!r)
        return r.error();
    Freshness f;
    f.standby = r->boolean(0, 0);
    if (f.standby)
        f.maxAgeSeconds = r->isNull(0, 1) ? std::numeric_limits<double>::infinity()
                                          : std::max(0.0, r->real(0, 1));
    return f;
}

} // namespace ferry::agent::store
