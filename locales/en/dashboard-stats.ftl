# The dashboard's statistics pages: overview and line page.
stats-skip = Skip to the content
stats-nav = Dashboard
stats-overview-title = Overview
stats-back-to-overview = Back to the overview
stats-period = Period
stats-period-presets = Recent periods
stats-period-dates = Dates
stats-last-days = { $days ->
    [one] Last day
   *[other] Last { $days } days
}
stats-from = First day (UTC)
stats-until = Last day (UTC)
stats-show-dates = Show these dates
stats-showing = Showing { $current }, compared with the period of the same length just before: { $previous }.
stats-period-error-preset = That period is not offered; showing the last 28 days instead.
stats-period-error-date = A date must be written as YYYY-MM-DD; showing the last 28 days instead.
stats-period-error-missing = Give both a first and a last day; showing the last 28 days instead.
stats-period-error-reversed = The first day is after the last day; showing the last 28 days instead.
stats-period-error-long = A date range can span at most 366 days; showing the last 28 days instead.
stats-key-numbers = Key numbers
stats-measure = Measure
stats-this-period = This period
stats-previous-period = Previous period
stats-change = Change
stats-scans = Human scans
stats-reports = Reports
stats-per-thousand = Reports per 1,000 scans
stats-defect-share = Defect share
stats-csat = CSAT (ratings 4–5)
stats-nps = NPS
stats-interval = 95 % interval: { $low } to { $high }
stats-n = n = { $n }
stats-too-few = too few answers to judge
stats-change-worse = clearly worse
stats-change-better = clearly better
stats-change-unclear = no clear change
stats-nps-not-asked = NPS is not shown: the recommend question was not asked (or not answered) in either period.
stats-methods = How the numbers are computed
stats-method-counts = Human scans and reports are counts of everything received in the period, not estimates, so they have no interval.
stats-method-wilson = Defect share (defect reports among all reports) and CSAT (ratings of 4 or 5 among all ratings) are shares; their 95 % interval is the Wilson score interval, and n is the number of reports or ratings.
stats-method-rate = Reports per 1,000 scans: the 95 % interval is the Poisson score interval of the rate, with human scans as the exposure (n = scans). Scans are counted per UTC day; a day belongs to the period when it starts inside it.
stats-method-nps = NPS is the share of promoters (9–10) minus the share of detractors (0–6), times 100. Its 95 % interval is the normal approximation with the multinomial variance of that difference, (p + d − (p − d)²) / n, clipped to −100…100.
stats-method-few = Below n = { $min } a number is marked "too few answers to judge": it is shown, but no change is flagged.
stats-method-change = A change is flagged as clearly worse or clearly better only when the 95 % intervals of the two periods do not overlap; the arrow shows which way the number moved.
stats-lines-title = Product lines, what got worse first
stats-lines-order = Sorted by what got worse: first the lines where a number moved clearly the bad way (intervals apart), then by the rise in defect share, then by the rise in reports per 1,000 scans.
stats-line = Product line
stats-line-worse = clearly worse
stats-before = before:
stats-retired = retired
stats-no-lines = There are no product lines yet.
stats-code = Code
stats-kind-defect = Defect
stats-kind-usability = Hard to use
stats-kind-praise = Praise
stats-kind-other = Other
stats-no-category = no category
stats-other-categories = All other categories
stats-weekly-title = Reports by category by week
stats-weeks-utc = Weeks are ISO weeks (Monday to Sunday) in UTC, built from the daily counts, because there is no time-zone setting yet; the first and last week may be cut by the period.
stats-weekly-desc = Stacked bars: reports per ISO week (UTC) from { $first } to { $last }, one colour per category as in the legend. The busiest week is { $busiest } with { $max } reports. The table below lists every number.
stats-week = Week
stats-week-label = { $week } (from { $monday })
stats-total = Total
stats-legend = Legend
stats-show-table = Show the numbers as a table
stats-no-reports = No reports in this period.
stats-pareto-title = Defect categories (Pareto)
stats-pareto-desc = Bars: defect reports per category in this period, largest first; line: their cumulative share. { $top } alone is { $share } of { $total } defect reports. The table below lists every number.
stats-pareto-bars = Defect reports
stats-pareto-line = Cumulative share
stats-pareto-table = Defect reports by category
stats-category = Category
stats-defect-reports = Defect reports
stats-share = Share
stats-cumulative = Cumulative
stats-no-defects = No defect reports in this period.
stats-lots-title = Lots compared
stats-lots-scope = Lots are compared over all their reports so far, not only the chosen period: a lot's reports keep arriving for as long as its units are in use.
stats-pchart-method = Where production volumes are entered, a lot's defect rate is p = defect reports ÷ units produced, shown as defects per million units (PPM). A lot is flagged when p is above its upper control limit p̄ + 3·√(p̄(1−p̄)/n), where n is the lot's units produced and p̄ the defect rate of all lots with volumes together. Lots without a volume have no rate: their reports alone do not say how many units could have failed.
stats-pchart-none = No lot has a production volume yet, so there is no p-chart. Enter the units produced per lot below.
stats-pchart-one = Only one lot has a production volume: a p-chart needs at least two lots to compare.
stats-pchart-title = Defect rate per lot (p-chart)
stats-pchart-desc = Points: each lot's defect rate in PPM, lots in name order; short red lines: each lot's upper control limit; dashed line: the centre line p̄ at { $centre } PPM. { $above } of { $lots } lots are above their limit. The table below lists every number.
stats-pchart-centre = Centre line p̄ = { $centre } PPM: { $defects } defect reports in { $units } units over { $lots } lots with volumes.
stats-pchart-point = Lot { $lot }: { $ppm } PPM, limit { $limit } PPM
stats-pchart-legend-point = Lot within its limit
stats-pchart-legend-above = Lot above its limit
stats-pchart-legend-limit = Upper control limit
stats-pchart-legend-centre = Centre line p̄
stats-lot-alert = Lot { $lot } is above its upper control limit: { $defects } defect reports in { $units } units is { $ppm } PPM, above the limit of { $limit } PPM.
stats-lots-table = Lots
stats-lot = Lot
stats-defects = Defects
stats-units = Units produced
stats-ppm = Defects per million units (PPM)
stats-ucl = Upper control limit (PPM)
stats-status = Status
stats-lot-above = above the control limit
stats-lot-within = within the control limit
stats-lot-no-volume = no volume entered
stats-no-lots = No reports name a lot yet, and no volumes are entered.
stats-lots-more = { $count ->
    [one] One more lot is not shown here; the API lists every lot.
   *[other] { $count } more lots are not shown here; the API lists every lot.
}
stats-lots-without = { $reports ->
    [one] One report
   *[other] { $reports } reports
} ({ $defects ->
    [one] one defect
   *[other] { $defects } defects
}) name no lot and are not in the comparison.
stats-volume-title = Enter a production volume
stats-volume-hint = The units a lot produced; entering a lot again replaces its volume.
stats-volume-lot-hint = As printed: letters, digits and - . / _, up to 20 characters.
stats-volume-save = Save volume
stats-volume-saved = Saved the volume of lot { $lot }.
stats-volume-error-units = Enter the units produced as a whole number from 1 to 1,000,000,000,000.
stats-volume-viewer = Viewers cannot enter production volumes; an editor or owner can.
stats-newest-title = Newest reports
stats-rating = rating { $rating } of 5
stats-photo-alt = Photo { $n } of this report
stats-notfound-title = Not found
stats-notfound-body = There is no such page in your workspace. It may belong to another manufacturer, or the link is mistyped.
stats-forbidden-title = Not allowed
stats-forbidden-body = Your role does not allow this change. Ask an owner of your workspace.
stats-error-body = The page could not be shown just now. Please try again in a minute.
