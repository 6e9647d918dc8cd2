#include "agent/workflow/definition.h"

#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::agent::workflow {

namespace {

constexpr int kMaxSteps = 50;
constexpr qint64 kMaxWaitMs = 30LL * 86'400'000;

// "90s", "10m", "2h", "1d", "500ms": the wait of a step; 0 when it does not read.
qint64 duration(const QString &text)
{
    static const QRegularExpression form(u"^([0-9]{1,9})(ms|s|m|h|d)$"_s);
    const auto m = form.match(text);
    if (!m.hasMatch())
        return 0;
    const qint64 n = m.captured(1).toLongLong();
    const QString unit = m.captured(2);
    const qint64 scale = unit == "ms"_L1  ? 1
                         : unit == "s"_L1 ? 1000
                         : unit == "m"_L1 ? 60'000
                         : unit == "h"_L1 ? 3'600'000
                                          : 86'400'000;
    return n * scale;
}

bool validType(const QJsonValue &v)
{
    return v.isString() && !v.toString().isEmpty() && v.toString().size() <= 255;
}

Result<Step> parseStep(const QJsonObject &o, int index)
{
    const QString where = u"steps[%1]"_s.arg(index);
    Step s;
    s.name = o.value("name"_L1).toString();
    if (s.name.isEmpty() || s.name.size() > 63)
        return makeError(where + u".name: a name of 1 to 63 characters"_s, 422);
    const QStringList kinds{u"emit"_s, u"wait"_s, u"publish"_s};
    int given = 0;
    for (const QString &k : kinds)
        given += o.contains(k) ? 1 : 0;
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!kinds.contains(it.key()) && it.key() != "name"_L1 && it.key() != "compensate"_L1)
            return makeError(where + u": unknown field '%1'; a step has name, one of emit, wait "
                                     "or publish, and compensate"_s.arg(it.key()),
                             422);
    }
    if (given != 1)
        return makeError(where + u": one of emit (an event type), wait (a duration such as "
                                 "10m) or publish (an event type)"_s,
                         422);
    if (o.contains("wait"_L1)) {
        s.kind = Step::Kind::Wait;
        s.waitMs = duration(o.value("wait"_L1).toString());
        if (s.waitMs <= 0 || s.waitMs > kMaxWaitMs || o.contains("compensate"_L1))
            return makeError(where + u".wait: a duration from 1ms to 30d such as 90s or 10m, "
                                     "with nothing to compensate"_s,
                             422);
        return s;
    }
    s.kind = o.contains("emit"_L1) ? Step::Kind::Emit : Step::Kind::Publish;
    const QJsonValue type = o.value(s.kind == Step::Kind::Emit ? "emit"_L1 : "publish"_L1);
    if (!validType(type))
        return makeError(where + u": the event type to emit, 1 to 255 characters"_s, 422);
    s.type = type.toString();
    if (o.contains("compensate"_L1) && !validType(o.value("compensate"_L1)))
        return makeError(where + u".compensate: the event type emitted to undo this step"_s, 422);
    s.compensate = o.value("compensate"_L1).toString();
    return s;
}

} // namespace

Result<QList<Step>> parseSteps(const QJsonArray &steps)
{
    if (steps.isEmpty() || steps.size() > kMaxSteps)
        return makeError(u"steps: 1 to 50 steps"_s, 422);
    QList<Step> out;
    QSet<QString> names;
    for (int i = 0; i < steps.size(); ++i) {
        auto step = parseStep(steps[i].toObject(), i);
        if (!step)
            return step.error();
        if (names.contains(step->name))
            return makeError(
                u"steps[%1].name: '%2' names another step too"_s.arg(i).arg(step->name), 422);
        names.insert(step->name);
        out.append(*step);
    }
    return out;
}

Result<Definition> parseDefinition(const QJsonObject &body)
{
    static const QStringList fields{u"trigger"_s, u"cancel_on"_s, u"correlate"_s, u"steps"_s};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!fields.contains(it.key()))
            return makeError(
                u"%1: unknown field; a workflow has %2"_s.arg(it.key(), fields.join(u", "_s)), 422);
    }
    Definition d;
    if (!validType(body.value("trigger"_L1)))
        return makeError(u"trigger: the event type that starts an instance"_s, 422);
    d.trigger = body.value("trigger"_L1).toString();
    for (const QJsonValue &v : body.value("cancel_on"_L1).toArray()) {
        if (!validType(v) || v.toString() == d.trigger)
            return makeError(u"cancel_on: event types (not the trigger) that stop the running "
                             "instances with the same correlation key"_s,
                             422);
        d.cancelOn.append(v.toString());
    }
    const QString correlate = body.value("correlate"_L1).toString(u"partitionkey"_s);
    d.correlate = correlate.split(u'.');
    if (correlate.isEmpty() || d.correlate.contains(QString()))
        return makeError(u"correlate: a dotted path into the event, such as "
                         "data.data.object.customer (default: partitionkey)"_s,
                         422);
    d.steps = body.value("steps"_L1).toArray();
    if (auto steps = parseSteps(d.steps); !steps)
        return steps.error();
    return d;
}

} // namespace ferry::agent::workflow
