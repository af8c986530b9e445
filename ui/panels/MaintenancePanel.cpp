// ui/panels/MaintenancePanel.cpp
#include "panels/MaintenancePanel.h"

#include "backfill/BackfillJob.h"
#include "connection/PgConnection.h"
#include "dialogs/PlanPreviewDialog.h"
#include "embeddings/ColumnStatus.h"
#include "embeddings/EmbeddingSources.h"
#include "embeddings/ProviderChoice.h"
#include "maintenance/IndexRebuilds.h"
#include "maintenance/MaintenanceJob.h"
#include "session/Session.h"
#include "theme/Theme.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/PairBox.h"
#include <QComboBox>
#include <QGridLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vwb::ui {

MaintenancePanel::MaintenancePanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Content table")));
    m_type = new QComboBox;
    m_type->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    top->addWidget(m_type);
    top->addSpacing(12);
    top->addWidget(new QLabel(tr("Embed")));
    m_text = new QLineEdit;
    m_text->setObjectName(QStringLiteral("embedText"));
    m_text->setPlaceholderText(tr("as last filled, else {content}"));
    m_text->setToolTip(tr("What a backfill embeds of each row: a column (content) or a template of columns, e.g. "
                          "{title}\\n\\n{content}. It must be what the application embeds: a backfill refuses to add vectors "
                          "that don't match the ones already in the column."));
    m_text->setMinimumWidth(180);
    top->addWidget(m_text, 1);
    top->addSpacing(12);
    top->addWidget(new QLabel(tr("ANN index")));
    m_strategy = new QComboBox;
    m_strategy->setObjectName(QStringLiteral("indexStrategy"));
    m_strategy->addItem(tr("auto: the faster"), int(IndexStrategy::Auto));
    m_strategy->addItem(tr("write through it"), int(IndexStrategy::InPlace));
    m_strategy->addItem(tr("drop, fill, rebuild"), int(IndexStrategy::Rebuild));
    m_strategy->setToolTip(tr("How a backfill treats the column's HNSW / IVFFlat indexes. Writing through an HNSW index "
                              "inserts every row into the graph as it goes; dropping it, filling and building it again "
                              "CONCURRENTLY is often several times faster, but searches are exact (slower) meanwhile. Auto "
                              "takes the faster by the estimate the dry run shows."));
    top->addWidget(m_strategy);
    layout->addLayout(top);
    m_guard = new QLabel;
    Theme::setTone(m_guard, Tone::Error, true);
    layout->addWidget(m_guard);
    auto *grid = new QGridLayout;
    const struct
    {
        const char *label;
        const char *help;
        std::function<void()> action;
    } actions[] = {
        {"Backfill missing vectors…", "embed rows that have no vector, batch by batch", [this] { askBackfill(false); }},
        {"Re-embed stale vectors…", "rows edited after their vector was made", [this] { askBackfill(true); }},
        {"VACUUM (ANALYZE)…", "reclaim dead rows of the vector table and refresh statistics",
         [this] { ask(requestFor(MaintenanceRequest::Kind::Vacuum)); }},
        {"Build HNSW index…", "cosine, m 16, ef_construction 64, CONCURRENTLY",
         [this] {
             MaintenanceRequest r = requestFor(MaintenanceRequest::Kind::CreateIndex);
             r.concurrently = true;
             ask(r);
         }},
        {"Build halfvec HNSW index…", "(vector::halfvec(N)): half the size, up to 4,000 dimensions; searches rank at full precision",
         [this] {
             MaintenanceRequest r = requestFor(MaintenanceRequest::Kind::CreateIndex);
             r.halfvec = true;
             r.concurrently = true;
             ask(r);
         }},
        {"Build IVFFlat index…", "cosine, lists from the row count, CONCURRENTLY",
         [this] {
             MaintenanceRequest r = requestFor(MaintenanceRequest::Kind::CreateIndex);
             r.method = QStringLiteral("ivfflat");
             r.concurrently = true;
             ask(r);
         }},
        {"REINDEX CONCURRENTLY…", "rebuild the vector table's indexes without blocking writes",
         [this] {
             MaintenanceRequest r = requestFor(MaintenanceRequest::Kind::Reindex);
             r.concurrently = true;
             ask(r);
         }},
        {"REINDEX, then VACUUM…", "HNSW: vacuum is much faster on a rebuilt graph (pgvector's advice)",
         [this] { ask(requestFor(MaintenanceRequest::Kind::ReindexThenVacuum)); }},
    };
    int row = 0;
    for (const auto &a : actions) {
        auto *button = new QPushButton(tr(a.label));
        grid->addWidget(button, row, 0);
        grid->addWidget(new QLabel(tr(a.help)), row, 1);
        connect(button, &QPushButton::clicked, this, a.action);
        ++row;
    }
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid);
    layout->addStretch();
    connect(m_session, &Session::connected, this, &MaintenancePanel::onConnected);
    connect(m_session, &Session::schemaChanged, this, &MaintenancePanel::onConnected);
    connect(m_session, &Session::writesUnlockedChanged, this, &MaintenancePanel::onConnected);
    if (m_session->isConnected())
        onConnected();
}

MaintenancePanel::~MaintenancePanel() = default;

void MaintenancePanel::onConnected()
{
    m_guard->setText(m_session->writesAllowed() ? QString() : tr("Production is read-only in this session: unlock writes to run these."));
    fillPairBox(m_type, m_session->schema(), true);
}

bool MaintenancePanel::hasSchema() const
{
    return m_type->count() > 0;
}

MaintenanceRequest MaintenancePanel::requestFor(MaintenanceRequest::Kind kind) const
{
    MaintenanceRequest r;
    r.kind = kind;
    if (const auto pair = currentPair()) {
        r.table = pair->vectors;
        // An index is built for the column searches use: the one switched to (Change model…), else the first.
        const auto use = loadColumnInUse(ProviderSettings::defaultPath(), m_session->profile(), *pair);
        r.column = use ? use->column : pair->columns.first().name;
    }
    return r;
}

BackfillOptions MaintenancePanel::backfillOptions(const ContentPair &pair, bool stale) const
{
    BackfillOptions options;
    options.pair = pair;
    options.mode = stale ? BackfillMode::Stale : BackfillMode::Missing;
    options.text = m_text->text().trimmed();
    options.sourcesPath = EmbeddingSources::defaultPath();
    options.indexStrategy = IndexStrategy(m_strategy->currentData().toInt());
    options.rebuildsPath = IndexRebuilds::defaultPath();
    return options;
}

bool MaintenancePanel::selectTable(const QString &table)
{
    const auto pair = m_session->schema().find(table);
    const int index = pair ? m_type->findData(pair->content.display()) : -1;
    if (index >= 0)
        m_type->setCurrentIndex(index);
    return index >= 0;
}

std::optional<ContentPair> MaintenancePanel::currentPair() const
{
    return m_session->schema().find(m_type->currentData().toString());
}

bool MaintenancePanel::confirmDestructive(const QString &what)
{
    if (!m_session->profile().production)
        return true;
    const QString db = m_session->databaseName();
    bool ok = false;
    const QString typed = QInputDialog::getText(this, tr("Production"),
                                                tr("%1 on production.\nType the database name (%2) to go ahead:").arg(what, db),
                                                QLineEdit::Normal, QString(), &ok);
    return ok && typed == db;
}

bool MaintenancePanel::refuseWhenLocked()
{
    if (m_guard->text().isEmpty())
        return false;
    showError(this, Error::invalid(m_guard->text()), tr("Read-only"));
    return true;
}

bool MaintenancePanel::askFix(const HealthFinding &f)
{
    using Action = HealthFinding::Action;
    auto tableOf = [](const QString &display) {
        const qsizetype dot = display.indexOf(QLatin1Char('.'));
        return dot > 0 ? TableRef{display.left(dot), display.mid(dot + 1)} : TableRef{QStringLiteral("public"), display};
    };
    MaintenanceRequest r;
    switch (f.action) {
    case Action::None:
    case Action::ApplyMigrations:
    case Action::ExportKnexMigration: return false;
    case Action::Backfill:
    case Action::BackfillStale: {
        const int index = m_type->findData(f.actionTarget);
        if (index < 0)
            return false;
        m_type->setCurrentIndex(index);
        askBackfill(f.action == Action::BackfillStale);
        return true;
    }
    case Action::Vacuum:
        r.kind = MaintenanceRequest::Kind::Vacuum;
        r.table = tableOf(f.actionTarget);
        break;
    case Action::CreateAnnIndex: {
        r.kind = MaintenanceRequest::Kind::CreateIndex;
        r.table = tableOf(f.actionTarget);
        r.concurrently = true;
        for (const ContentPair &p : m_session->schema().pairs)
            if (p.vectors.display() == f.actionTarget && !p.columns.isEmpty())
                r.column = p.columns.first().name;
        if (r.column.isEmpty())
            return false;
        break;
    }
    case Action::RepairIndex:
    case Action::DropIndex:
        r.kind = f.action == Action::RepairIndex ? MaintenanceRequest::Kind::RepairIndex : MaintenanceRequest::Kind::DropIndex;
        r.index = f.actionTarget;
        r.table.schema = QStringLiteral("public"); // a bare name is public's, never whatever search_path finds first
        r.concurrently = true;
        break;
    }
    ask(r);
    return true;
}

void MaintenancePanel::ask(const MaintenanceRequest &request)
{
    const bool needsTable = request.kind != MaintenanceRequest::Kind::RepairIndex && request.kind != MaintenanceRequest::Kind::DropIndex;
    if ((needsTable && request.table.name.isEmpty()) || refuseWhenLocked())
        return;
    m_session->runOnServer<MaintenancePlan>(
        QStringLiteral("maintenance"), this, [request](PgConnection &conn) { return planMaintenance(conn, request); },
        [this](Result<MaintenancePlan> plan) {
            if (!plan.ok()) {
                showError(this, plan.error());
                return;
            }
            const MaintenancePlan p = plan.value();
            QString text = p.sql() + QStringLiteral(";\n");
            for (const QString &w : p.warnings)
                text += QStringLiteral("\n-- warning: ") + w;
            auto *dialog = new PlanPreviewDialog(p.title, tr("This will run as a job in the Jobs dock:"), text, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, p] {
                if (p.destructive && !confirmDestructive(p.title))
                    return;
                m_session->startJob(std::make_unique<MaintenanceJob>(m_session->jobProfile(), p));
            });
            dialog->open();
        });
}

JobId MaintenancePanel::startMaintenance(const MaintenanceRequest &request)
{
    // Plans on the job's own connection would need a second round trip; the job re-plans nothing,
    // so plan here synchronously through a short-lived connection of the job's thread instead.
    struct PlannedJob : Job
    {
        ConnectionProfile profile;
        MaintenanceRequest request;
        QList<DataChange> changes() const override { return maintenanceChanges(request); }
        QString title() const override
        {
            return QStringLiteral("%1 %2%3").arg(
                maintenanceKindName(request.kind), request.index.isEmpty() ? request.table.display() : request.index,
                request.kind == MaintenanceRequest::Kind::CreateIndex ? QStringLiteral(" (%1)").arg(request.method) : QString());
        }
        Result<void> run(JobContext &ctx) override
        {
            auto conn = PgConnection::open(profile);
            if (!conn.ok())
                return conn.error();
            auto plan = planMaintenance(*conn.value(), request);
            if (!plan.ok())
                return plan.error();
            return MaintenanceJob(profile, plan.value()).run(ctx);
        }
    };
    auto job = std::make_unique<PlannedJob>();
    job->profile = m_session->jobProfile();
    job->request = request;
    return m_session->startJob(std::move(job));
}

void MaintenancePanel::askBackfill(bool stale)
{
    const auto pair = currentPair();
    if (!pair || refuseWhenLocked())
        return;
    // The dry run first: how many rows, and what they cost with a paid provider.
    const BackfillOptions options = backfillOptions(*pair, stale);
    const ProviderSettings settings = ProviderSettings::load(ProviderSettings::defaultPath(), m_session->profile().name);
    constexpr double PricePerMillion = 0.02; // text-embedding-3-small, USD
    const int dims = pair->columns.first().dimensions;
    const QString profile = m_session->profile().name;
    m_session->runOnServer<BackfillEstimate>(
        QStringLiteral("maintenance"), this,
        [options, settings, dims, profile](PgConnection &conn) -> Result<BackfillEstimate> {
            // The figures, and what the job's first step will say of the vectors already there.
            auto provider = makeQueryProvider(settings.provider, dims, profile);
            if (!provider.ok())
                return provider.error();
            return estimateBackfill(conn, options, PricePerMillion, provider.value().get());
        },
        [this, stale, options, settings](Result<BackfillEstimate> estimate) {
            if (!estimate.ok()) {
                showError(this, estimate.error());
                return;
            }
            const BackfillEstimate &e = estimate.value();
            const bool offline = settings.provider.isEmpty() || settings.provider == QLatin1String("lexical");
            const QString cost = offline ? tr("the offline provider costs nothing")
                                         : tr("at $%1 per million tokens: ~$%2").arg(PricePerMillion).arg(e.cost, 0, 'f', 4);
            QString text = tr("%1 rows of %2 (%3)\nto embed into %4, from %5\n~%6 tokens; %7\nprovider: %8; %9 workers, "
                              "batches of %10, one transaction each")
                               .arg(e.rows)
                               .arg(options.pair.content.display(),
                                    stale ? tr("vectors older than their content") : tr("rows without a vector"),
                                    options.pair.vectors.display(), QString(e.text).replace(QLatin1Char('\n'), QStringLiteral("\\n")))
                               .arg(e.tokens)
                               .arg(cost, offline ? QStringLiteral("lexical (offline)") : settings.provider)
                               .arg(e.workers)
                               .arg(options.batchSize);
            if (!e.source.isEmpty())
                text += QStringLiteral("\n\n") + (e.sourceConflicts ? tr("Refused as it stands: ") : QString()) + e.source;
            text += tr("\n\nANN index: %1").arg(e.indexes.reason);
            if (!e.keyIsUnique)
                text += tr("\n\nWarning: %1.%2 has no unique index, so the application's own writers can add a second "
                           "vector row for a row this backfill fills (Health offers the fix).")
                            .arg(options.pair.vectors.display(), options.pair.foreignKey);
            auto *dialog = new PlanPreviewDialog(stale ? tr("Re-embed stale vectors") : tr("Backfill missing vectors"),
                                                 tr("This will run as a job in the Jobs dock:"), text, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, stale] { startBackfill(stale); });
            dialog->open();
        });
}

JobId MaintenancePanel::startBackfill(bool stale)
{
    const auto pair = currentPair();
    if (!pair)
        return 0;
    const BackfillOptions options = backfillOptions(*pair, stale);
    const int dims = pair->columns.first().dimensions;
    const QString profile = m_session->profile().name;
    return m_session->startJob(std::make_unique<BackfillJob>(m_session->jobProfile(), options, [dims, profile] {
        return makeQueryProvider(ProviderSettings::load(ProviderSettings::defaultPath(), profile).provider, dims, profile);
    }));
}
} // namespace vwb::ui
