// ui/widgets/ProviderBox.h
#pragma once

#include <QString>

class QComboBox;

namespace vwb::ui {

/// Fills a combo box with the query providers: the lexical provider's two models (offline) and the
/// profile's OpenAI-compatible endpoint, each with its provider name as data.
void fillProviderBox(QComboBox *box);
/// Selects the provider `name`; one the box doesn't list ("openai:text-embedding-3-large", the model
/// a column was filled by) is added first, so the box never shows another provider than the one used.
void selectProvider(QComboBox *box, const QString &name);
} // namespace vwb::ui
