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
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
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

void addProviders(QComboBox *box)
{
    box->addItem(QObject::tr("lexical (offline)"), QStringLiteral("lexical"));
    box->addItem(QObject::tr("lexical, Snowball-stemmed (offline)"), QStringLiteral("lexical-stem"));
    box->addItem(QObject::tr("OpenAI-compatible (the profile's endpoint)"), QStringLiteral("openai"));
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
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_provider = new QComboBox;
    addProviders(m_provider);
    m_provider->setCurrentIndex(1);
    fill->addWidget(new QLabel(tr("column")));
    fill->addWidget(m_column);
    fill->addWidget(new QLabel(tr("provider")));
    fill->addWidget(m_provider);
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
    layout->addLayout(bottom);

    connect(m_buttons[0], &QPushButton::clicked, this, &ModelChangeDialog::addColumn);
    connect(m_buttons[1], &QPushButton::clicked, this, &ModelChangeDialog::fillColumn);
    connect(m_buttons[2], &QPushButton::clicked, this, &ModelChangeDialog::evaluate);
    connect(m_buttons[3], &QPushButton::clicked, this, [this] { switchToColumn(); });
    connect(back, &QPushButton::clicked, this, &ModelChangeDialog::switchBack);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_table, &QComboBox::currentIndexChanged, this, &ModelChangeDialog::refresh);
    connect(m_column, &QComboBox::currentIndexChanged, this, &ModelChangeDialog::showColumns);
    connect(m_session, &Session::schemaChanged, this, &ModelChangeDialog::showSchema);
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

void ModelChangeDialog::showSchema()
{
    const QSignalBlocker block(m_table);
    fillPairBox(m_table, m_session->schema(), true);
    m_set->clear();
    EvalStore store;
    if (auto sets = store.sets(SizeHistory::profileKey(m_session->profile())); sets.ok())
        for (const SetSummary &s : sets.value())
            m_set->addItem(s.name);
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
                m_inUse->setText(errorText(status.error()));
                emit refreshed();
                return;
            }
            m_columns = status.value();
            showColumns();
            emit refreshed();
        });
}

const ColumnStatus *ModelChangeDialog::chosen() const
{
    for (const ColumnStatus &c : m_columns)
        if (c.column.name == m_column->currentText())
            return &c;
    return nullptr;
}

const ColumnStatus *ModelChangeDialog::inUse() const
{
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
        const QString before = m_column->currentText();
        const QSignalBlocker block(m_column);
        m_column->clear();
        for (int i = 1; i < m_columns.size(); ++i)
            m_column->addItem(m_columns.at(i).column.name);
        m_column->setCurrentIndex(qMax(0, m_column->findText(before)));
    }
    const ColumnStatus *target = chosen();
    const bool writes = m_session->writesAllowed();
    m_buttons[0]->setEnabled(writes && currentPair() && !currentPair()->isInline());
    m_status[0]->setText(!currentPair()              ? tr("Connect to a database with vector columns.")
                         : currentPair()->isInline() ? tr("%1 holds its vectors inline: add a column with the application's "
                                                          "own migrations.")
                                                           .arg(currentPair()->content.display())
                         : !writes              ? tr("Production is read-only in this session: unlock writes to add a column.")
                         : m_columns.size() > 1 ? tr("The table has %n other column(s) already; add another, or go on with one below.",
                                                     nullptr, int(m_columns.size() - 1))
                                                : tr("Nullable, no default: a change of the catalog only, no table rewrite."));
    m_buttons[1]->setEnabled(target && writes);
    if (target && target->source)
        m_provider->setCurrentIndex(qMax(0, m_provider->findData(providerNameOf(*target->source))));
    m_status[1]->setText(!target ? tr("Add a column first.") : target->describe());
    m_buttons[2]->setEnabled(target && target->filled > 0 && m_set->count() > 0 && current);
    m_status[2]->setText(m_set->count() == 0 ? tr("No judged query set for this profile: import one in Evaluate, or grade results "
                                                  "in Search.")
                         : !target || target->filled == 0 ? tr("Fill the column first.")
                                                          : m_status[2]->text());
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
                return;
            }
            m_status[0]->setText(tr("✓ Added %1.%2 %3(%4), empty.").arg(table, column.name, column.type).arg(column.dimensions));
            m_name->setText(column.name);
            m_column->addItem(column.name); // chosen now; the schema read again fills in the rest
            m_column->setCurrentIndex(m_column->count() - 1);
            m_session->announce({DataChange::Kind::Schema, table});
        });
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
    const QString provider = m_provider->currentData().toString();
    const int dims = target->column.dimensions;
    const QString profile = m_session->profile().name;
    m_session->startJob(std::make_unique<BackfillJob>(m_session->jobProfile(), options,
                                                      [provider, dims, profile] { return makeQueryProvider(provider, dims, profile); }));
    m_status[1]->setText(tr("Backfilling %1 with %2: the Jobs dock shows its progress.").arg(target->column.name, provider));
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
    const QString currentProvider = use ? use->provider : current->source ? providerNameOf(*current->source) : m_session->providerName();
    const QString targetProvider = target->source ? providerNameOf(*target->source) : m_provider->currentData().toString();
    m_buttons[2]->setEnabled(false);
    m_status[2]->setText(tr("Running \"%1\" through %2 (%3), then %4 (%5): the Evaluate panel shows the runs.")
                             .arg(m_set->currentText(), current->column.name, currentProvider, target->column.name, targetProvider));
    emit evaluateRequested(m_set->currentText(), configFor(*current, currentProvider), configFor(*target, targetProvider));
}

void ModelChangeDialog::showEvaluation(bool ok, const QString &summary)
{
    m_buttons[2]->setEnabled(true);
    m_status[2]->setText((ok ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + summary);
}

bool ModelChangeDialog::switchToColumn(bool allowMissing)
{
    const auto pair = currentPair();
    const ColumnStatus *target = chosen();
    if (!pair || !target)
        return false;
    auto use = switchColumn(m_columns, target->column.name, {}, allowMissing);
    if (!use.ok() && !allowMissing && target->missing() > 0 && target->filled > 0
        && QMessageBox::question(this, tr("Switch anyway?"), errorText(use.error())) == QMessageBox::Yes)
        return switchToColumn(true);
    if (!use.ok()) {
        m_status[3]->setText(QStringLiteral("✗ ") + errorText(use.error()));
        return false;
    }
    if (auto saved = saveColumnInUse(ProviderSettings::defaultPath(), m_session->profile(), *pair, use.value()); !saved.ok()) {
        m_status[3]->setText(QStringLiteral("✗ ") + errorText(saved.error()));
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
        return;
    }
    for (ColumnStatus &c : m_columns)
        c.inUse = &c == &m_columns.first();
    m_status[3]->setText(tr("The workbench searches %1 again.").arg(m_columns.first().column.name));
    showColumns();
    emit switched();
}
} // namespace vwb::ui
