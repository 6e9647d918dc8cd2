#pragma once

#include <QDialog>

class QLabel;

namespace ferry::console {

// A dialog whose OK first checks the fields: what is wrong shows in red above the buttons and the
// dialog stays open; only fields without a problem are accepted.
class CheckedDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CheckedDialog(QWidget *parent = nullptr);

    // What is wrong with the fields ("" when nothing).
    virtual QString problem() const = 0;
    // The problem shown after the last OK ("" when none).
    QString problemShown() const;

public Q_SLOTS:
    void accept() override;

protected:
    // The red line, for the subclass's layout.
    QLabel *problemLabel() const { return m_problem; }

private:
    QLabel *m_problem;
};

} // namespace ferry::console
