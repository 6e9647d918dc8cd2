#pragma once

#include <QStyledItemDelegate>

namespace ferry::console {

// Draws a cell as a progress bar when the model gives a percentage (0–100) in `role`, with the
// cell's text on it; other cells as usual.
class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ProgressDelegate(int role, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace ferry::console
