// ui/widgets/ProviderBox.cpp
#include "widgets/ProviderBox.h"

#include <QComboBox>

namespace vwb::ui {

void fillProviderBox(QComboBox *box)
{
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon); // "openai:a-long-model-name" never widens
    box->setMinimumContentsLength(17);                                          // "OpenAI-compatible" whole
    box->addItem(QObject::tr("lexical"), QStringLiteral("lexical"));
    box->addItem(QObject::tr("lexical, stemmed"), QStringLiteral("lexical-stem"));
    box->addItem(QObject::tr("OpenAI-compatible"), QStringLiteral("openai"));
    box->setToolTip(QObject::tr("lexical: offline, words shared (stemmed: Snowball English stems). OpenAI-compatible: the "
                                "endpoint, model and key variable saved for this profile (Search → Provider…)"));
}

void selectProvider(QComboBox *box, const QString &name)
{
    if (name.isEmpty())
        return;
    int index = box->findData(name);
    if (index < 0 && name.startsWith(QLatin1String("openai:"))) {
        box->addItem(QObject::tr("OpenAI-compatible, %1").arg(name.mid(7)), name);
        index = box->count() - 1;
    }
    box->setCurrentIndex(qMax(0, index));
}
} // namespace vwb::ui
