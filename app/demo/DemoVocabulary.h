// app/demo/DemoVocabulary.h
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace vwb {

/// The words and templates of one demo forum. Templates name their slots {n} noun, {v} verb
/// (base form), {a} adjective, {x} an everyday time word, {#} a number from 2 to 99; "a" before a
/// word that starts with a vowel becomes "an". Words are single lowercase tokens.
struct ForumVocabulary
{
    QString name; // forum_name
    QStringList nouns;
    QStringList verbs;
    QStringList adjectives;
    QStringList titles;    // title templates
    QStringList sentences; // body sentence templates
};

/// What every forum shares: templates filled with the forum's own words, and filler text.
struct SharedVocabulary
{
    QStringList timeWords; // {x}
    QStringList titles;
    QStringList sentences;
    QStringList replies; // first sentences of posts
    QStringList closers; // last sentences, no slots
};

/// The twelve forums in a fixed order: `--forums K` uses the first K. Built on first use and
/// immutable after; safe from any thread.
const QList<ForumVocabulary> &demoForums();
const SharedVocabulary &sharedVocabulary();
} // namespace vwb
