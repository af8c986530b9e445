// app/schema/KnownLayouts.cpp
#include "schema/KnownLayouts.h"

#include "schema/DatabaseSchema.h"

namespace vwb {
namespace {
bool hasAll(const QStringList &columns, std::initializer_list<const char *> names)
{
    return std::all_of(names.begin(), names.end(), [&](const char *n) { return columns.contains(QLatin1String(n)); });
}
} // namespace

QString pgaiSourceName(const QString &table, const QStringList &columns)
{
    static const QString Suffix = QStringLiteral("_embedding_store");
    if (!table.endsWith(Suffix) || table.size() == Suffix.size() || !hasAll(columns, {"embedding_uuid", "chunk_seq", "chunk"}))
        return {};
    return table.left(table.size() - Suffix.size());
}

void recognizeLayout(ContentPair &p)
{
    const QStringList &own = p.vectorTableColumns;
    if (hasAll(own, {"embedding_uuid", "chunk_seq", "chunk"})) {
        p.layout = QStringLiteral("pgai");
        p.ownerEmbeds = true; // the vectorizer's worker re-embeds changed rows itself
        return;
    }
    if (p.isInline() && hasAll(own, {"collection_id", "document", "embedding"})) {
        p.layout = QStringLiteral("langchain");
        p.roles.text = QStringLiteral("document");
        p.roles.metadata = own.contains(QLatin1String("cmetadata")) ? QStringLiteral("cmetadata") : p.roles.metadata;
        return;
    }
    if (p.isInline() && hasAll(own, {"langchain_metadata"})) {
        p.layout = QStringLiteral("langchain");
        p.roles.metadata = QStringLiteral("langchain_metadata");
        return;
    }
    if (p.isInline() && p.content.name.startsWith(QLatin1String("data_")) && hasAll(own, {"text", "metadata_", "node_id", "embedding"})) {
        p.layout = QStringLiteral("llamaindex");
        p.roles.text = QStringLiteral("text");
        p.roles.metadata = QStringLiteral("metadata_");
        return;
    }
    if (!p.isInline() && p.vectorsHave(QStringLiteral("forum_name")) && p.contentHas(QStringLiteral("forum_name"))
        && p.contentHas(QStringLiteral("content")) && p.column(QStringLiteral("vector"))) {
        p.layout = QStringLiteral("reference");
        return;
    }
    if (p.isInline() && p.content.name == QLatin1String("documents") && hasAll(own, {"content", "metadata", "embedding"})) {
        p.layout = QStringLiteral("supabase");
        return;
    }
    p.layout = p.isInline() ? QStringLiteral("inline") : QStringLiteral("paired");
}

QString filterLabel(const ContentPair &p)
{
    if (p.roles.filter == QLatin1String("forum_name"))
        return QStringLiteral("Forum");
    if (p.roles.lookup.isSet())
        return p.roles.lookup.table.endsWith(QLatin1String("collection")) ? QStringLiteral("Collection") : p.roles.lookup.table;
    return p.roles.filter;
}

QString layoutDescription(const ContentPair &p)
{
    if (p.layout == QLatin1String("reference"))
        return QStringLiteral("reference design: %1 with its vectors in %2").arg(p.content.display(), p.vectors.display());
    if (p.layout == QLatin1String("langchain"))
        return p.roles.lookup.isSet() ? QStringLiteral("LangChain PGVector store, collections from %1").arg(p.roles.lookup.table)
                                      : QStringLiteral("LangChain PGVectorStore table");
    if (p.layout == QLatin1String("llamaindex"))
        return QStringLiteral("LlamaIndex PGVectorStore table");
    if (p.layout == QLatin1String("pgai"))
        return QStringLiteral("pgai vectorizer chunks of %1 in %2 (the vectorizer embeds them)")
            .arg(p.content.display(), p.vectors.display());
    if (p.layout == QLatin1String("supabase"))
        return QStringLiteral("Supabase documents table");
    if (p.isInline())
        return QStringLiteral("%1 with its vectors inline").arg(p.content.display());
    return QStringLiteral("%1 with its vectors in %2").arg(p.content.display(), p.vectors.display());
}
} // namespace vwb
