// ui/dialogs/ModelChangeDialog.cpp
#include "dialogs/ModelChangeDialog.h"

#include "backfill/BackfillJob.h"
#include "connection/ConnectionProfile.h"
#include "connection/PgConnection.h"
#include "embeddings/ProviderChoice.h"
#include "eval/EvalStore.h"
#include "metrics/SizeHistory.h"
#include "schema/VectorColumnAdd.h"
#include "session/Session.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/PairBox.h"
#include "widgets/ProviderBox.h"
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSpinBox>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
constexpr auto Lane = "maintenance";

QLabel *wrapping(QLabel *label)
{
    label->setWordWrap(true);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // a long status never widens the dialog
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

ModelChangeDialog::ModelChangeDialog(Session *session, QWidget *parent) : QDialog(parent), m_session(session)
{
    setWindowTitle(tr("Change embedding model"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(wrapping(new QLabel(tr("Try a new embedding model beside the one the application uses. Nothing the "
                                             "application reads or writes changes: its inserts don't name the new column, and "
                                             "the switch is the workbench's own."))));
    auto *top = new QHBoxLayout;
    m_table = new QComboBox;
    m_table->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    top->addWidget(new QLabel(tr("Content table")));
    top->addWidget(m_table);
    m_inUse = wrapping(new QLabel);
    top->addWidget(m_inUse, 1);
    layout->addLayout(top);

    const auto step = [&](int n, const QString &title, QLayout *form, const QString &button) -> QHBoxLayout * {
        auto *box = new QGroupBox(QStringLiteral("%1. %2").arg(n).arg(title));
        auto *v = new QVBoxLayout(box);
        auto *row = new QHBoxLayout;
        if (form)
            row->addLayout(form, 1);
        else
            row->addStretch(1);
        m_buttons[n - 1] = new QPushButton(button);
        row->addWidget(m_buttons[n - 1]);
        v->addLayout(row);
        m_status[n - 1] = wrapping(new QLabel);
        v->addWidget(m_status[n - 1]);
        layout->addWidget(box);
        return row;
    };

    auto *add = new QHBoxLayout;
    m_name = new QLineEdit(QStringLiteral("vector_next"));
    m_name->setToolTip(tr("Lowercase letters, digits and _"));
    m_dimensions = new QSpinBox;
    m_dimensions->setRange(1, 16000);
    m_dimensions->setValue(1536);
    m_type = new QComboBox;
    m_type->addItem(QStringLiteral("vector"));
    m_type->addItem(QStringLiteral("halfvec"));
    m_type->setToolTip(tr("halfvec stores half the bytes; pgvector indexes up to 4,000 of its dimensions (vector: 2,000)"));
    for (auto [label, widget] :
         {std::pair<QString, QWidget *>{tr("name"), m_name}, {tr("dimensions"), m_dimensions}, {tr("type"), m_type}}) {
        add->addWidget(new QLabel(label));
        add->addWidget(widget);
    }
    step(1, tr("Add a column for the new model's vectors"), add, tr("Add column"));

    auto *fill = new QHBoxLayout;
    m_column = new QComboBox;
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_column->setMinimumContentsLength(18); // alternative_vector, whole; a longer name is elided, the dialog keeps its width
    m_provider = new QComboBox;
    fillProviderBox(m_provider);
    m_provider->setCurrentIndex(1);
    m_model = new QLineEdit;
    m_model->setPlaceholderText(tr("the profile's model"));
    m_model->setToolTip(tr("The OpenAI-compatible model to fill the column with (text-embedding-3-large, say)"));
    m_model->setVisible(false);
    connect(m_provider, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setVisible(m_provider->currentData().toString() == QLatin1String("openai")); });
    fill->addWidget(new QLabel(tr("column")));
    fill->addWidget(m_column);
    fill->addWidget(new QLabel(tr("provider")));
    fill->addWidget(m_provider);
    fill->addWidget(m_model, 1);
    fill->addStretch(1);
    step(2, tr("Fill it with the new model"), fill, tr("Backfill…"));

    auto *eval = new QHBoxLayout;
    m_set = new QComboBox;
    m_set->setMinimumWidth(140);
    m_mode = new QComboBox;
    m_mode->addItem(tr("re-rank judged candidates"), int(EvalMode::Rerank));
    m_mode->addItem(tr("full retrieval"), int(EvalMode::Full));
    eval->addWidget(new QLabel(tr("judged set")));
    eval->addWidget(m_set);
    eval->addWidget(m_mode);
    eval->addStretch(1);
    step(3, tr("Compare it with the column in use"), eval, tr("Evaluate both"));

    QHBoxLayout *switchRow = step(4, tr("Switch the workbench's searches to it"), nullptr, tr("Switch"));
    auto *back = new QPushButton(tr("Switch back"));
    back->setToolTip(tr("Search the table's first column again"));
    switchRow->addWidget(back);

    auto *close = new QPushButton(tr("Close"));
    auto *bottom = new QHBoxLayout;
    bottom->addStretch(1);
    bottom->addWidget(close);
    layout->addStretch(1); // room the statuses don't need goes below them, not between the steps
    layout->addLayout(bottom);

    connect(m_buttons[0], &QPushButton::clicked, this, &ModelChangeDialog::addColumn);
    connect(m_buttons[1], &QPushButton::clicked, this, &ModelChangeDialog::askFill);
    connect(m_buttons[2], &QPushButton::clicked, this, &ModelChangeDialog::evaluate);
    connect(m_buttons[3], &QPushButton::clicked, this, &ModelChangeDialog::askSwitch);
    connect(back, &QPushButton::clicked, this, &ModelChangeDialog::switchBack);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_table, &QComboBox::currentIndexChanged, this, &ModelChangeDialog::forgetTable);
    connect(m_column, &QComboBox::currentIndexChanged, this, [this] {
        m_status[2]->clear(); // another column: the last comparison and switch error were of the one before
        m_status[3]->clear();
        showColumns();
    });
    resize(680, sizeHint().height());
    // Another profile, the same one again, an unlock: the tables, the sets, what may be written.
    for (auto signal : {&Session::schemaChanged, &Session::connected, &Session::disconnected})
        connect(m_session, signal, this, &ModelChangeDialog::showSchema);
    connect(m_session, &Session::writesUnlockedChanged, this, &ModelChangeDialog::showColumns);
    connect(m_session, &Session::dataChanged, this, [this](const DataChange &change) {
        const auto pair = currentPair();
        if (pair && (change.table.isEmpty() || change.table == pair->vectors.display() || change.table == pair->content.display()))
            refresh(); // a backfill went on or ended: its fill
    });
    showSchema();
}

std::optional<ContentPair> ModelChangeDialog::currentPair() const
{
    return m_session->schema().find(m_table->currentData().toString());
}

void ModelChangeDialog::forgetTable()
{
    // Nothing of the table before may act on this one: not its columns, nor its comparison.
    m_columns.clear();
    m_columnsTable.clear();
    m_added.clear();
    m_pickAdded = false;
    m_compared.clear();
    m_delta = qQNaN();
    for (int step : {2, 3})
        m_status[step]->clear();
    showColumns();
    refresh();
}

void ModelChangeDialog::showSchema()
{
    const QString table = m_table->currentData().toString();
    {
        const QSignalBlocker block(m_table);
        fillPairBox(m_table, m_session->schema(), true);
    }
    const QString set = m_set->currentData().toString();
    m_set->clear();
    EvalStore store;
    if (auto sets = store.sets(SizeHistory::profileKey(m_session->profile())); sets.ok()) {
        int largest = -1;
        for (const SetSummary &s : sets.value()) {
            m_set->addItem(tr("%1 (%n queries)", nullptr, s.queries).arg(s.name), s.name);
            if (largest < 0 || s.queries > sets.value().at(largest).queries)
                largest = m_set->count() - 1;
        }
        const int kept = m_set->findData(set);
        m_set->setCurrentIndex(kept >= 0 ? kept : qMax(0, largest)); // else the most judged: the fairest comparison
    }
    if (m_table->currentData().toString() != table)
        forgetTable();
    else
        refresh();
}

void ModelChangeDialog::refresh()
{
    const auto pair = currentPair();
    if (!pair || pair->columns.isEmpty()) {
        m_columns.clear();
        showColumns();
        emit refreshed();
        return;
    }
    const ConnectionProfile profile = m_session->profile();
    const auto use = loadColumnInUse(ProviderSettings::defaultPath(), profile, *pair);
    const ContentPair target = *pair;
    m_session->runOnServer<QList<ColumnStatus>>(
        QLatin1String(Lane), this,
        [target, use](PgConnection &conn) { return columnStatuses(conn, target, EmbeddingSources::defaultPath(), use); },
        [this, table = pair->content.display()](Result<QList<ColumnStatus>> status) {
            if (table != m_table->currentData().toString())
                return; // another table was chosen meanwhile: its own refresh follows
            if (!status.ok()) {
                m_columns.clear();
                m_columnsTable.clear();
                showColumns();
                m_inUse->setText(errorText(status.error()));
                emit refreshed();
                return;
            }
            m_columns = status.value();
            m_columnsTable = table;
            showColumns();
            emit refreshed();
        });
}

const ColumnStatus *ModelChangeDialog::chosen() const
{
    if (m_columnsTable != m_table->currentData().toString())
        return nullptr; // read for another table
    for (const ColumnStatus &c : m_columns)
        if (c.column.name == m_column->currentText())
            return &c;
    return nullptr;
}

const ColumnStatus *ModelChangeDialog::inUse() const
{
    if (m_columnsTable != m_table->currentData().toString())
        return nullptr;
    for (const ColumnStatus &c : m_columns)
        if (c.inUse)
            return &c;
    return nullptr;
}

void ModelChangeDialog::showColumns()
{
    const ColumnStatus *current = inUse();
    m_inUse->setText(current ? tr("Searched now: %1 %2(%3), %4")
                                   .arg(current->column.name, current->column.type)
                                   .arg(current->column.dimensions)
                                   .arg(current->describe())
                             : tr("No vector column"));
    if (current)
        m_dimensions->setToolTip(tr("The new model's dimensions (the column in use has %1)").arg(current->column.dimensions));
    {
        // Steps 2-4 work on a column that is not the application's (the first).
        const QString before = m_pickAdded ? m_added : m_column->currentText(); // a column just added: that one, once
        const QSignalBlocker block(m_column);
        m_column->clear();
        for (int i = 1; i < m_columns.size(); ++i)
            m_column->addItem(m_columns.at(i).column.name);
        m_column->setCurrentIndex(qMax(0, m_column->findText(before)));
        if (m_pickAdded && m_column->currentText() == m_added)
            m_pickAdded = false;
    }
    const ColumnStatus *target = chosen();
    const bool writes = m_session->writesAllowed();
    m_buttons[0]->setEnabled(writes && currentPair() && !currentPair()->isInline());
    m_status[0]->setText(!currentPair()              ? tr("Connect to a database with vector columns.")
                         : currentPair()->isInline() ? tr("%1 holds its vectors inline: add a column with the application's "
                                                          "own migrations.")
                                                           .arg(currentPair()->content.display())
                         : !writes ? tr("Production is read-only in this session: unlock writes to add a column.")
                         : !m_added.isEmpty() && m_columns.size() > 1 && m_column->currentText() == m_added
                             ? tr("✓ Added %1.%2, empty: fill it below.").arg(currentPair()->vectors.display(), m_added)
                         : m_columns.size() > 1
                             ? tr("%1 has %2 beside %3 already: go on with it below, or add another.")
                                   .arg(currentPair()->vectors.display(),
                                        m_columns.size() == 2 ? m_columns.at(1).column.name : tr("%1 columns").arg(m_columns.size() - 1),
                                        m_columns.first().column.name)
                             : tr("Nullable, no default: a change of the catalog only, no table rewrite."));
    m_buttons[1]->setEnabled(target && writes);
    if (target && target->source)
        selectProvider(m_provider, providerNameOf(*target->source));
    QString fill = !target ? tr("Add a column first.") : target->describe();
    if (target && target->missing() > 0 && target->filled >= m_columns.first().filled && m_columns.first().missing() > 0)
        fill += tr(" — %1 content rows have no vector row at all: a backfill of this column fills the rows that are there, so "
                   "run Maintenance → Backfill missing vectors (the application's column) first")
                    .arg(m_columns.first().missing());
    m_status[1]->setText(fill);
    m_buttons[2]->setEnabled(target && target->filled > 0 && m_set->count() > 0 && current && !m_evaluating);
    if (!m_evaluating) // while it runs, step 3 keeps its own status until showEvaluation()
        m_status[2]->setText(m_set->count() == 0 ? tr("No judged query set for this profile: import one in Evaluate, or grade "
                                                      "results in Search.")
                             : !target || target->filled == 0 || !current ? tr("Fill the column first.")
                             : m_status[2]->text().startsWith(QStringLiteral("✓")) || m_status[2]->text().startsWith(QStringLiteral("✗"))
                                 ? m_status[2]->text()
                                 : tr("Runs the set through %1 and through %2, each with the provider that fills it, then compares "
                                      "them query by query (the Evaluate panel shows both runs).")
                                       .arg(current->column.name, target->column.name));
    m_buttons[3]->setEnabled(target && target->filled > 0 && !target->inUse);
    if (target && target->inUse)
        m_status[3]->setText(tr("The workbench searches %1. The application still writes and searches %2: its own switch is a "
                                "change to its code and embedder. Until then, fill new rows here (step 2) now and then.")
                                 .arg(target->column.name, m_columns.first().column.name));
    else if (!target || target->filled == 0)
        m_status[3]->setText(tr("Fill the column first."));
    else if (!m_status[3]->text().startsWith(QStringLiteral("✗")))
        m_status[3]->setText(tr("Searches and evaluations of %1 will compare queries with %2, embedded by the provider that filled "
                                "it.")
                                 .arg(currentPair()->content.display(), target->column.name));
    fitText();
}

void ModelChangeDialog::fitText()
{
    // The statuses wrap at the dialog's width and never widen it; it grows down to show them whole.
    const int room = screen() ? screen()->availableGeometry().height() : 800;
    if (const int needed = qMin(layout()->totalHeightForWidth(width()), room); needed > height())
        resize(width(), needed);
}

void ModelChangeDialog::addColumn()
{
    const auto pair = currentPair();
    if (!pair)
        return;
    const VectorColumnAdd column{m_name->text().trimmed(), m_dimensions->value(), m_type->currentText()};
    m_buttons[0]->setEnabled(false);
    m_status[0]->setText(tr("Adding %1…").arg(column.name));
    const ContentPair target = *pair;
    m_session->runOnServer<bool>(
        QLatin1String(Lane), this,
        [target, column](PgConnection &conn) -> Result<bool> {
            if (auto added = addVectorColumn(conn, target, column); !added.ok())
                return added.error();
            return true;
        },
        [this, column, table = pair->vectors.display()](Result<bool> added) {
            m_buttons[0]->setEnabled(true);
            if (!added.ok()) {
                m_status[0]->setText(QStringLiteral("✗ ") + errorText(added.error()));
                fitText();
                return;
            }
            m_status[0]->setText(tr("✓ Added %1.%2 %3(%4), empty.").arg(table, column.name, column.type).arg(column.dimensions));
            fitText();
            m_added = column.name; // chosen for steps 2-4 once the schema read again lists it
            m_pickAdded = true;
            m_session->announce({DataChange::Kind::Schema, table});
        });
}

QString ModelChangeDialog::chosenProvider() const
{
    const QString provider = m_provider->currentData().toString();
    const QString model = m_model->text().trimmed();
    return provider == QLatin1String("openai") && !model.isEmpty() ? QStringLiteral("openai:") + model : provider;
}

void ModelChangeDialog::askFill()
{
    const auto pair = currentPair();
    const ColumnStatus *target = chosen();
    if (!pair || !target)
        return;
    const QString provider = chosenProvider();
    if (QMessageBox::question(
            this, tr("Fill %1?").arg(target->column.name),
            tr("Embed the rows of %1 that have no vector in %2 with %3 (%4 dimensions)%5.\n\nIt runs as a job in "
               "the Jobs dock, batch by batch; %6, the application's column, is not touched.")
                .arg(pair->content.display(), target->column.name, m_provider->currentText())
                .arg(target->column.dimensions)
                .arg(provider.startsWith(QLatin1String("openai")) ? tr(" — a paid provider: each row is sent to it") : QString(),
                     m_columns.first().column.name))
        == QMessageBox::Yes)
        fillColumn();
}

void ModelChangeDialog::fillColumn()
{
    const auto pair = currentPair();
    const ColumnStatus *target = chosen();
    if (!pair || !target)
        return;
    BackfillOptions options;
    options.pair = *pair;
    options.column = target->column.name;
    options.mode = BackfillMode::Missing;
    options.sourcesPath = EmbeddingSources::defaultPath();
    // The same text as the column in use, so the comparison is of the models and nothing else.
    if (const ColumnStatus *current = inUse(); current && current->source && !target->source)
        options.text = current->source->text;
    const QString provider = chosenProvider();
    const int dims = target->column.dimensions;
    const QString profile = m_session->profile().name;
    m_session->startJob(std::make_unique<BackfillJob>(m_session->jobProfile(), options,
                                                      [provider, dims, profile] { return makeQueryProvider(provider, dims, profile); }));
    m_status[1]->setText(tr("Backfilling %1 with %2: the Jobs dock shows its progress.").arg(target->column.name, provider));
    fitText();
}

EvalConfig ModelChangeDialog::configFor(const ColumnStatus &column, const QString &provider) const
{
    EvalConfig c;
    c.type = m_table->currentData().toString();
    c.column = column.column.name == m_columns.first().column.name ? QString() : column.column.name;
    c.provider = provider;
    c.mode = EvalMode(m_mode->currentData().toInt());
    return c;
}

void ModelChangeDialog::evaluate()
{
    const ColumnStatus *current = inUse();
    const ColumnStatus *target = chosen();
    if (!current || !target)
        return;
    const auto pair = currentPair();
    const auto use = pair ? loadColumnInUse(ProviderSettings::defaultPath(), m_session->profile(), *pair) : std::nullopt;
    const QString currentProvider = queryProviderOf(*current, use, m_session->providerName());
    const QString targetProvider = queryProviderOf(*target, use, chosenProvider());
    m_buttons[2]->setEnabled(false);
    m_evaluating = true;
    m_compared = target->column.name;
    m_status[2]->setText(
        tr("Running \"%1\" through %2 (%3), then %4 (%5): the Evaluate panel shows the runs.")
            .arg(m_set->currentData().toString(), current->column.name, currentProvider, target->column.name, targetProvider));
    fitText();
    emit evaluateRequested(m_set->currentData().toString(), configFor(*current, currentProvider), configFor(*target, targetProvider));
}

void ModelChangeDialog::showEvaluation(bool ok, const QString &summary, double delta)
{
    m_evaluating = false;
    m_delta = ok ? delta : qQNaN();
    m_buttons[2]->setEnabled(true);
    m_status[2]->setText((ok ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + summary);
    fitText();
}

void ModelChangeDialog::askSwitch()
{
    const ColumnStatus *target = chosen();
    if (target && target->column.name == m_compared && m_delta < 0
        && QMessageBox::question(this, tr("Switch to a worse column?"),
                                 tr("On the judged set, %1 scored %2 below the column in use. Switch anyway?")
                                     .arg(target->column.name)
                                     .arg(-m_delta, 0, 'f', 4))
               != QMessageBox::Yes)
        return;
    switchToColumn();
}

bool ModelChangeDialog::switchToColumn(bool allowMissing)
{
    const auto pair = currentPair();
    const ColumnStatus *target = chosen();
    if (!pair || !target)
        return false;
    // A column nothing records the filler of is queried by the provider chosen in step 2.
    const QString provider = target->source ? QString() : chosenProvider();
    auto use = switchColumn(m_columns, target->column.name, provider, true);
    if (use.ok() && target->missing() > 0 && !allowMissing) {
        if (QMessageBox::question(this, tr("Switch anyway?"),
                                  tr("%1 of %2 rows have no vector in %3: searches would never find them until it is filled. "
                                     "Switch anyway?")
                                      .arg(target->missing())
                                      .arg(target->rows)
                                      .arg(target->column.name))
            != QMessageBox::Yes)
            return false;
    }
    if (!use.ok()) {
        m_status[3]->setText(QStringLiteral("✗ ") + errorText(use.error()));
        fitText();
        return false;
    }
    if (auto saved = saveColumnInUse(ProviderSettings::defaultPath(), m_session->profile(), *pair, use.value()); !saved.ok()) {
        m_status[3]->setText(QStringLiteral("✗ ") + errorText(saved.error()));
        fitText();
        return false;
    }
    for (ColumnStatus &c : m_columns)
        c.inUse = c.column.name == use.value().column;
    m_status[3]->clear();
    showColumns();
    emit switched();
    return true;
}

void ModelChangeDialog::switchBack()
{
    const auto pair = currentPair();
    if (!pair || m_columns.isEmpty())
        return;
    if (auto saved = saveColumnInUse(ProviderSettings::defaultPath(), m_session->profile(), *pair, std::nullopt); !saved.ok()) {
        m_status[3]->setText(QStringLiteral("✗ ") + errorText(saved.error()));
        fitText();
        return;
    }
    for (ColumnStatus &c : m_columns)
        c.inUse = &c == &m_columns.first();
    m_status[3]->setText(tr("The workbench searches %1 again.").arg(m_columns.first().column.name));
    showColumns();
    emit switched();
}
} // namespace vwb::ui
