// ui/widgets/PairBox.cpp
#include "widgets/PairBox.h"

#include <QComboBox>
#include <QSignalBlocker>

namespace vwb::ui {

void fillPairBox(QComboBox *box, const DatabaseSchema &schema, bool withVectors)
{
    const QString chosen = box->currentData().toString();
    const QSignalBlocker block(box);
    box->clear();
    for (const ContentPair &p : schema.pairs)
        if (!withVectors || !p.columns.isEmpty())
            box->addItem(p.content.display(), p.content.display());
    box->setCurrentIndex(qMax(0, box->findData(chosen)));
}
} // namespace vwb::ui
