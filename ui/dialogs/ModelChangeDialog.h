// ui/dialogs/ModelChangeDialog.h
#pragma once

#include "embeddings/ColumnStatus.h"
#include "eval/EvalConfig.h"
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace vwb {
class Session;
}

namespace vwb::ui {

/// A new embedding model for one content table, as four steps, each one button: add a column for
/// its vectors beside the application's (a catalog change the application never sees), fill it
/// with the new provider (a backfill job), compare it with the column in use on a judged query
/// set (two evaluation runs and their comparison, in the Evaluate panel), and switch the
/// workbench's searches to it. Each step says where it stands, read from the database and the
/// local records, so the dialog can be closed and opened again at any step. Not modal.
class ModelChangeDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ModelChangeDialog(vwb::Session *session, QWidget *parent = nullptr);

    /// Step 1: adds the column named in the form to the table chosen.
    void addColumn();
    /// Step 2: backfills the chosen column with the chosen provider (a job in the Jobs dock),
    /// without asking first as the button does.
    void fillColumn();
    /// Step 3: asks for the two runs (evaluateRequested()); showEvaluation() gets the outcome.
    void evaluate();
    /// The comparison of step 3 (B − A on its metric, NaN when it failed): the switch asks before
    /// taking a column it found worse.
    void showEvaluation(bool ok, const QString &summary, double delta);
    /// Step 4: the workbench searches the table with the chosen column from now on; while rows have
    /// no vector in it, only after asking (or with `allowMissing`).
    bool switchToColumn(bool allowMissing = false);
    /// Back to the table's first column.
    void switchBack();
    /// Reads the table's columns again (fill, source, column in use).
    void refresh();

    QComboBox *tableBox() const { return m_table; }
    QComboBox *columnBox() const { return m_column; }
    QLineEdit *nameEdit() const { return m_name; }
    QSpinBox *dimensionsBox() const { return m_dimensions; }
    QComboBox *providerBox() const { return m_provider; }
    QComboBox *setBox() const { return m_set; }
    QLabel *stepStatus(int step) const { return m_status[step - 1]; }
    const QList<vwb::ColumnStatus> &columns() const { return m_columns; }

signals:
    /// Step 3: run the set named `set` through `inUse`, then `candidate`, and compare them.
    void evaluateRequested(const QString &set, const vwb::EvalConfig &inUse, const vwb::EvalConfig &candidate);
    /// Step 4 (or back): the column in use of a table changed.
    void switched();
    /// refresh() read the columns (or failed to).
    void refreshed();

private:
    void askFill();
    /// Step 2's provider: "openai:MODEL" when a model is typed for the OpenAI-compatible one.
    QString chosenProvider() const;
    void askSwitch();
    void forgetTable();
    void fitText();
    void showSchema();
    void showColumns();
    const vwb::ColumnStatus *chosen() const;
    const vwb::ColumnStatus *inUse() const;
    std::optional<vwb::ContentPair> currentPair() const;
    vwb::EvalConfig configFor(const vwb::ColumnStatus &column, const QString &provider) const;

    vwb::Session *m_session;
    QList<vwb::ColumnStatus> m_columns;
    QComboBox *m_table = nullptr;
    QLabel *m_inUse = nullptr;
    QLineEdit *m_name = nullptr;
    QSpinBox *m_dimensions = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_column = nullptr; // the new model's column, steps 2-4
    QComboBox *m_provider = nullptr;
    QLineEdit *m_model = nullptr; // OpenAI-compatible: the new model
    QComboBox *m_set = nullptr;
    QComboBox *m_mode = nullptr;
    QString m_columnsTable;   // the table m_columns were read for
    QString m_added;          // the column step 1 added to this table
    bool m_pickAdded = false; // choose it for steps 2-4 when the columns are read again
    QString m_compared;       // the column step 3 compared last, and B − A it found
    double m_delta = qQNaN();
    bool m_evaluating = false; // step 3 asked for its runs, not answered yet
    QPushButton *m_buttons[4] = {};
    QLabel *m_status[4] = {};
};
} // namespace vwb::ui
