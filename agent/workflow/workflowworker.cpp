#include "agent/workflow/workflowworker.h"

#include "agent/app/logging.h"
#include "agent/ingest/internalpublish.h"
#include "agent/store/pgconnection.h"
#include "agent/store/workflow/instancestore.h"

#include <QDateTime>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ferry::agent::workflow {

namespace {

constexpr qint64 kRetryMs = 2000; // after a database or ingest hiccup

const char *phaseOf(bool undo)
{
    return undo ? "undo" : "do";
}

} // namespace

struct WorkflowWorker::Instance
{
    store::ClaimedInstance claimed;
    QList<Step> steps;
    QString state;
    int step = 0;
    QString error;
};

WorkflowWorker::WorkflowWorker(ingest::BatchWriter &writer, Options options)
    : m_writer(writer)
    , m_options(std::move(options))
    , m_db(std::make_unique<store::PgConnection>())
{}

WorkflowWorker::~WorkflowWorker()
{
    stop();
}

void WorkflowWorker::start()
{
    m_thread = std::thread([this] { run(); });
}

void WorkflowWorker::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void WorkflowWorker::run()
{
    for (;;) {
        const int handled = connected() ? runOnce() : 0;
        std::unique_lock lock(m_mutex);
        if (handled == 0)
            m_wake.wait_for(lock, std::chrono::milliseconds(m_options.pollMs),
                            [this] { return m_stopping; });
        if (m_stopping)
            return;
    }
}

bool WorkflowWorker::connected()
{
    if (m_db->isOpen() && !m_db->isBroken())
        return true;
    m_db->close();
    return bool(m_db->open(m_options.databaseUrl, m_options.connectTimeoutSeconds));
}

int WorkflowWorker::runOnce()
{
    auto claimed = store::InstanceStore(*m_db).claim(m_options.batch, m_options.leaseMs);
    if (!claimed) {
        qCWarning(lcDispatch).noquote() << "workflows: claim failed:" << claimed.error().message;
        return 0;
    }
    for (store::ClaimedInstance &c : *claimed)
        advance(c);
    return int(claimed->size());
}

// Runs the instance as far as it goes now: until a step has to wait, or the instance ends.
void WorkflowWorker::advance(store::ClaimedInstance &claimed)
{
    Instance in{claimed, {}, claimed.state, claimed.step, claimed.error};
    auto steps = parseSteps(claimed.steps);
    if (!steps) {
        save(in, u"failed"_s, in.step, 0,
             u"the definition no longer reads: "_s + steps.error().message);
        return;
    }
    in.steps = *steps;
    for (int guard = 0; guard < 2 * int(in.steps.size()) + 4; ++guard) {
        const bool more = in.state == "running"_L1 ? forward(in) : backward(in);
        if (!more)
            return;
    }
}

// Each returns whether the instance can go on at once; when it cannot, its state is saved
// with the time of its next look.
bool WorkflowWorker::forward(Instance &in)
{
    if (in.claimed.cancelRequested) {
        save(in, u"cancelled"_s, in.step, 0);
        return false;
    }
    if (in.step >= in.steps.size()) {
        save(in, u"completed"_s, in.step, 0);
        return false;
    }
    const StepResult r = runStep(in, in.step, false);
    if (r.kind == StepResult::Kind::Wait) {
        save(in, u"running"_s, in.step, r.waitMs);
        return false;
    }
    if (r.kind == StepResult::Kind::Done) {
        ++in.step;
        return save(in, u"running"_s, in.step, 0);
    }
    in.error = u"step '%1' failed: %2"_s.arg(in.steps[in.step].name, r.error);
    qCInfo(lcDispatch).noquote() << "workflow" << in.claimed.workflow << "instance" << in.claimed.id
                                 << in.error << "; compensating";
    in.state = u"compensating"_s;
    --in.step;
    return save(in, in.state, in.step, 0, in.error);
}

// Undoes the steps done before the one that failed, last first; steps without a compensation
// are passed over.
bool WorkflowWorker::backward(Instance &in)
{
    while (in.step >= 0 && in.steps[in.step].compensate.isEmpty())
        --in.step;
    if (in.step < 0) {
        save(in, u"compensated"_s, 0, 0, in.error);
        return false;
    }
    const StepResult r = runStep(in, in.step, true);
    if (r.kind == StepResult::Kind::Wait) {
        save(in, in.state, in.step, r.waitMs, in.error);
        return false;
    }
    if (r.kind == StepResult::Kind::Done) {
        --in.step;
        return save(in, in.state, in.step, 0, in.error);
    }
    save(in, u"failed"_s, in.step, 0,
         u"%1; then the compensation of step '%2' failed: %3"_s.arg(
             in.error, in.steps[in.step].name, r.error));
    return false;
}

WorkflowWorker::StepResult WorkflowWorker::runStep(Instance &in, int index, bool undo)
{
    const Step &step = in.steps[index];
    if (undo)
        return emitStep(in, index, true, step.compensate, true);
    switch (step.kind) {
    case Step::Kind::Wait:
        return waitStep(in, index);
    case Step::Kind::Emit:
        return emitStep(in, index, false, step.type, true);
    case Step::Kind::Publish:
        return emitStep(in, index, false, step.type, false);
    }
    return {StepResult::Kind::Failed, 0, u"unknown step"_s};
}

WorkflowWorker::StepResult WorkflowWorker::waitStep(Instance &in, int index)
{
    store::InstanceStore store(*m_db);
    auto rec = store.stepRecord(in.claimed.id, index, "do");
    if (!rec)
        return {StepResult::Kind::Wait, kRetryMs, {}};
    const qint64 waitMs = in.steps[index].waitMs;
    if (!*rec) {
        if (!store.startStep(in.claimed.id, index, "do", in.steps[index].name, {}, waitMs))
            return {StepResult::Kind::Wait, kRetryMs, {}};
        return {StepResult::Kind::Wait, waitMs, {}};
    }
    const qint64 left = QDateTime::currentDateTimeUtc().msecsTo((*rec)->dueAt);
    if ((*rec)->state == "started"_L1 && left > 0)
        return {StepResult::Kind::Wait, left, {}};
    if ((*rec)->state == "started"_L1 && !store.finishStep(in.claimed.id, index, "do", true, {}))
        return {StepResult::Kind::Wait, kRetryMs, {}};
    return {};
}

// Emits the step's event once (its id is the instance's and the step's), then, when awaited,
// follows its deliveries.
WorkflowWorker::StepResult WorkflowWorker::emitStep(Instance &in, int index, bool undo,
                                                    const QString &type, bool awaited)
{
    store::InstanceStore store(*m_db);
    const char *phase = phaseOf(undo);
    auto rec = store.stepRecord(in.claimed.id, index, phase);
    if (!rec)
        return {StepResult::Kind::Wait, kRetryMs, {}};
    if (*rec && (*rec)->state == "done"_L1)
        return {};
    if (*rec && (*rec)->state == "failed"_L1)
        return {StepResult::Kind::Failed, 0, u"it failed before"_s};
    QString eventId = *rec ? (*rec)->eventId : QString();
    if (eventId.isEmpty()) {
        QString error;
        eventId = emit(in, index, undo, type, &error);
        if (eventId.isEmpty() ||
            !store.startStep(in.claimed.id, index, phase, in.steps[index].name, eventId, -1)) {
            qCWarning(lcDispatch).noquote() << "workflows: step not started:" << error;
            return {StepResult::Kind::Wait, kRetryMs, {}};
        }
    }
    if (!awaited)
        return store.finishStep(in.claimed.id, index, phase, true, {})
                   ? StepResult{}
                   : StepResult{StepResult::Kind::Wait, kRetryMs, {}};
    return awaitDeliveries(in, index, undo, eventId, type);
}

WorkflowWorker::StepResult WorkflowWorker::awaitDeliveries(Instance &in, int index, bool undo,
                                                           const QString &eventId,
                                                           const QString &type)
{
    store::InstanceStore store(*m_db);
    auto o = store.deliveriesOf(eventId);
    if (!o)
        return {StepResult::Kind::Wait, kRetryMs, {}};
    if (o->open > 0)
        return {StepResult::Kind::Wait, m_options.deliveryCheckMs, {}};
    QString error;
    if (o->dead > 0)
        error = u"%1 delivery(ies) of its event %2 are dead"_s.arg(o->dead).arg(type);
    else if (o->succeeded == 0)
        error = u"no route delivers its event type %1"_s.arg(type);
    if (!store.finishStep(in.claimed.id, index, phaseOf(undo), error.isEmpty(), error))
        return {StepResult::Kind::Wait, kRetryMs, {}};
    return error.isEmpty() ? StepResult{} : StepResult{StepResult::Kind::Failed, 0, error};
}

// The step's event: the starting event's data, with the workflow, instance and step named in
// extension attributes; its correlation key is its subject and partition key.
QString WorkflowWorker::emit(const Instance &in, int index, bool undo, const QString &type,
                             QString *error)
{
    const QJsonObject start = QJsonDocument::fromJson(in.claimed.event).object();
    QJsonObject event{
        {u"specversion"_s, u"1.0"_s},
        {u"id"_s,
         u"wf-%1-%2-%3"_s.arg(in.claimed.id).arg(index).arg(QLatin1StringView(phaseOf(undo)))},
        {u"source"_s, u"/workflows/"_s + in.claimed.workflow},
        {u"type"_s, type},
        {u"datacontenttype"_s, u"application/json"_s},
        {u"data"_s, start.value("data"_L1)},
        {u"workflow"_s, in.claimed.workflow},
        {u"workflowinstance"_s, QString::number(in.claimed.id)},
        {u"workflowstep"_s, in.steps[index].name}};
    if (!in.claimed.correlation.isEmpty()) {
        event.insert(u"subject"_s, in.claimed.correlation);
        event.insert(u"partitionkey"_s, in.claimed.correlation);
    }
    auto r = ingest::publishAndWait(m_writer, in.claimed.tenantId, event);
    if (!r) {
        *error = r.error().message;
        return {};
    }
    return r->eventId.toString(QUuid::WithoutBraces);
}

bool WorkflowWorker::save(const Instance &in, const QString &state, int step, qint64 dueInMs,
                          const QString &error)
{
    auto r = store::InstanceStore(*m_db).moveTo(in.claimed.id, state, step, dueInMs, error);
    if (!r)
        qCWarning(lcDispatch).noquote()
            << "workflows: instance" << in.claimed.id << r.error().message;
    return bool(r);
}

} // namespace ferry::agent::workflow
