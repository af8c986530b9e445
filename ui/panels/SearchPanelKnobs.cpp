// ui/panels/SearchPanelKnobs.cpp — the Search panel's knobs set from outside: what searches start
// with (Settings), the minimum similarity by value or slider, and the profile's provider dialog.
#include "panels/SearchPanel.h"

#include "charts/SimilarityHistogram.h"
#include "dialogs/ProviderDialog.h"
#include "models/SearchResultModel.h"
#include "search/SemanticSearch.h"
#include "widgets/ProviderBox.h"
#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <cmath>

namespace vwb::ui {

std::optional<SearchMetric> SearchPanel::indexMetric() const
{
    const VectorColumn *column = currentPair() ? SemanticSearch::columnOf(currentRequest()) : nullptr;
    std::optional<SearchMetric> served; // the last one, as the knobs have always taken it
    for (const VectorIndex &i : column ? column->indexes : QList<VectorIndex>{})
        if (SearchMetric m; i.valid && metricForOpclass(i.opclass, &m))
            served = m;
    return served;
}

ProviderDialog *SearchPanel::configureProvider()
{
    const auto pair = currentPair();
    const VectorColumn *column = pair ? SemanticSearch::columnOf(currentRequest()) : nullptr;
    auto *dialog = new ProviderDialog(m_session->profile().name, column ? column->dimensions : 1536, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { selectProvider(m_provider, dialog->settings().provider); });
    dialog->open();
    return dialog;
}

void SearchPanel::applyDefaults(const QString &metric, int limit, double threshold)
{
    // Through the knobs' own signals: the results shown follow (a new metric searches again, a
    // new limit shows more or fewer of the candidates already fetched).
    m_preferredMetric = metric;
    std::optional<SearchMetric> chosen = indexMetric();
    if (SearchMetric m; parseMetric(metric, &m))
        chosen = m;
    if (chosen)
        m_metric->setCurrentIndex(m_metric->findData(int(*chosen)));
    m_limit->setValue(limit);
    setThresholdValue(threshold > 0 ? threshold : qQNaN());
    updateKnobs();
}

void SearchPanel::setThresholdSlider(int position)
{
    m_threshold->setValue(position);
}

void SearchPanel::setThresholdValue(double similarity)
{
    m_thresholdValue = similarity;
    applyThreshold();
}

void SearchPanel::onThresholdMoved(int position)
{
    const double low = m_histogram->minimum(), high = m_histogram->maximum();
    m_thresholdValue = position == 0 ? qQNaN() : low + (high - low) * position / 1000.0;
    applyThreshold();
}

void SearchPanel::applyThreshold()
{
    const double low = m_histogram->minimum(), high = m_histogram->maximum();
    const bool off = std::isnan(m_thresholdValue);
    {
        // The value decides; the slider only shows where it falls among these candidates.
        const QSignalBlocker block(m_threshold);
        m_threshold->setValue(off          ? 0
                              : high > low ? qBound(1, int(std::lround((m_thresholdValue - low) / (high - low) * 1000)), 1000)
                                           : 1);
    }
    m_thresholdLabel->setText(off ? tr("off") : QString::number(m_thresholdValue, 'f', 4));
    m_model->setThreshold(off ? -1e9 : m_thresholdValue);
    m_histogram->setThreshold(off ? low : m_thresholdValue);
}
} // namespace vwb::ui
