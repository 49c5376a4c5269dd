themes-title = Themes
themes-hint = Comments of the period that say the same thing, grouped (typos and word order do not matter; “does not get hot” is never grouped with “gets hot”). Largest first, with up to three examples.
themes-none = No two comments of this period say the same thing yet.
themes-count = { $count ->
    [one] one comment
   *[other] { $count } comments
}
themes-capped = This period has more than { $max } comments: the newest { $max } were grouped.
themes-rising-title = Rising words and phrases
themes-rising-hint = Share of comments in the last 7 days ({ $now }) against the 28 days before ({ $before }); shown when at least 3 comments have it and its share at least doubled.
themes-rising-none = Nothing rose noticeably in the last 7 days.
themes-rising-phrase = Phrase
themes-rising-now = Last 7 days
themes-rising-before = 28 days before
themes-digest-heading = Rising words
themes-digest-row = { $line }: “{ $phrase }” in { $now } comments in the last 7 days, { $before } in the 4 weeks before
