// ui/widgets/PairBox.h
#pragma once

#include "schema/DatabaseSchema.h"

class QComboBox;

namespace vwb::ui {

/// Lists the schema's content tables in `box` (only those with a vector column when
/// `withVectors`), each with its display name as data, keeping the table chosen before when it
/// is still there. Emits no signal: the caller reacts to the new list itself.
void fillPairBox(QComboBox *box, const vwb::DatabaseSchema &schema, bool withVectors);
} // namespace vwb::ui
