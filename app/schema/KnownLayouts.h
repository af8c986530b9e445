// app/schema/KnownLayouts.h
#pragma once

#include <QString>
#include <QStringList>

namespace vwb {
struct ContentPair;

/// Names what made a pair's tables, from their columns: the reference design (Knex topics/posts
/// with a vector table each), LangChain's PGVector store, LlamaIndex's PGVectorStore, a pgai
/// vectorizer's chunk store, Supabase's documents table — else "inline" or "paired". Sets
/// pair.layout and, for stores another program keeps, pair.ownerEmbeds; fills roles those layouts
/// fix that detection could miss.
void recognizeLayout(ContentPair &pair);
/// "LangChain PGVector (collections from langchain_pg_collection)": what the layout is, in words.
QString layoutDescription(const ContentPair &pair);
/// What the filter column is called where a header names it: "Forum" (forum_name), "Collection"
/// (LangChain's), else the column's name; empty without one.
QString filterLabel(const ContentPair &pair);

/// A pgai vectorizer's store (`<source>_embedding_store`: embedding_uuid, the source's key columns,
/// chunk_seq, chunk, embedding) carries no foreign key since pgai 0.9: its source is the table the
/// name and key columns point at. The source table's name when `table` looks like one, else empty.
QString pgaiSourceName(const QString &table, const QStringList &columns);
} // namespace vwb
