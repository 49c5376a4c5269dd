alert-subject = Spike: { $count } { $kind } reports{ $category } on { $line } in { $hours } h ({ $expected } expected)
alert-heading = { $manufacturer }: an unusual number of reports on { $line } ({ $code })
alert-summary = { $count ->
    [one] { $count } report
   *[other] { $count } reports
} of kind “{ $kind }”{ $category } in the { $hours } hours up to { $end }.
alert-expected = The 28 days before make { $expected } expected in that time{ $by_scans ->
    [yes] , allowing for the number of scans
   *[no] {""}
}.
alert-odds = A count this high happens by chance about 1 time in { $odds }.
alert-odds-tiny = A count this high happens by chance less than 1 time in a trillion.
alert-category = , category “{ $category }”
alert-reports-heading = The reports:
alert-reports-more = …and { $count } more in the inbox.
alert-report-line = { $at } · rating { $rating }{ $lot }: { $comment }
alert-report-lot = {" "}· lot { $lot }
alert-no-comment = (no comment)
alert-inbox = Open them in the inbox: { $url }
alert-footer = You receive this because you take spike alerts for { $manufacturer }. No further alert about this line and category is sent while the spike lasts, nor within { $cooldown } hours of this one. An owner can change who takes alerts (PUT /api/v1/members/ID/alerts) and the thresholds (PUT /api/v1/alert-settings).
alert-unsubscribe-line = To stop spike alerts for yourself, open { $url }
alert-unsubscribe-title = Spike alerts
alert-unsubscribe-ask = Stop the spike alerts scanback sends you? Digests are not affected.
alert-unsubscribe-button = Stop spike alerts
alert-unsubscribed = Done: you will receive no more spike alerts. An owner of your workspace can turn them back on.
