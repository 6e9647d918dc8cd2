#pragma once

#include "agent/adapters/adapter.h"

#include <memory>

namespace ferry::agent::jobs {
class JobRunner;
}

namespace ferry::agent::adapters {

class CurlMulti;

// The `exec` channel: a route's target names a command the agent's administrator configured
// (exec.commands_dir); each delivery runs it once through the agent's JobRunner, with the
// event on its standard input. Exit code 0 is delivered, 75 (EX_TEMPFAIL) and a timeout are
// retried, anything else is permanent; a cancelled run is dead-lettered as `cancelled`. The
// runner reports from its own thread: outcomes wait in a mailbox until poll(), and the
// worker's multi handle is woken so it polls at once.
class ExecAdapter final : public Adapter
{
public:
    // `runner` null: this agent runs no commands (every delivery fails, saying why).
    ExecAdapter(CurlMulti &multi, jobs::JobRunner *runner);
    ~ExecAdapter() override;

    QString channel() const override { return QStringLiteral("exec"); }
    void send(const Delivery &delivery) override;
    void poll() override;
    void abandon(const QUuid &deliveryId) override;

private:
    struct Mailbox;

    jobs::JobRunner *m_runner;
    std::shared_ptr<Mailbox> m_mailbox;
};

} // namespace ferry::agent::adapters
