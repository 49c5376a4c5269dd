# The dashboard's statistics pages: overview and line page.
dash-skip = Skip to the content
dash-nav = Dashboard
dash-overview-title = Overview
dash-back-to-overview = Back to the overview
dash-period = Period
dash-period-presets = Recent periods
dash-period-dates = Dates
dash-last-days = { $days ->
    [one] Last day
   *[other] Last { $days } days
}
dash-from = First day (UTC)
dash-until = Last day (UTC)
dash-show-dates = Show these dates
dash-showing = Showing { $current }, compared with the period of the same length just before: { $previous }.
dash-period-error-preset = That period is not offered; showing the last 28 days instead.
dash-period-error-date = A date must be written as YYYY-MM-DD; showing the last 28 days instead.
dash-period-error-missing = Give both a first and a last day; showing the last 28 days instead.
dash-period-error-reversed = The first day is after the last day; showing the last 28 days instead.
dash-period-error-long = A date range can span at most 366 days; showing the last 28 days instead.
dash-key-numbers = Key numbers
dash-measure = Measure
dash-this-period = This period
dash-previous-period = Previous period
dash-change = Change
dash-scans = Human scans
dash-reports = Reports
dash-per-thousand = Reports per 1,000 scans
dash-defect-share = Defect share
dash-csat = CSAT (ratings 4–5)
dash-nps = NPS
dash-interval = 95 % interval: { $low } to { $high }
dash-n = n = { $n }
dash-too-few = too few answers to judge
dash-change-worse = clearly worse
dash-change-better = clearly better
dash-change-unclear = no clear change
dash-nps-not-asked = NPS is not shown: the recommend question was not asked (or not answered) in either period.
dash-methods = How the numbers are computed
dash-method-counts = Human scans and reports are counts of everything received in the period, not estimates, so they have no interval.
dash-method-wilson = Defect share (defect reports among all reports) and CSAT (ratings of 4 or 5 among all ratings) are shares; their 95 % interval is the Wilson score interval, and n is the number of reports or ratings.
dash-method-rate = Reports per 1,000 scans: the 95 % interval is the Poisson score interval of the rate, with human scans as the exposure (n = scans). Scans are counted per UTC day; a day belongs to the period when it starts inside it.
dash-method-nps = NPS is the share of promoters (9–10) minus the share of detractors (0–6), times 100. Its 95 % interval is the normal approximation with the multinomial variance of that difference, (p + d − (p − d)²) / n, clipped to −100…100.
dash-method-few = Below n = { $min } a number is marked "too few answers to judge": it is shown, but no change is flagged.
dash-method-change = A change is flagged as clearly worse or clearly better only when the 95 % intervals of the two periods do not overlap; the arrow shows which way the number moved.
dash-lines-title = Product lines, what got worse first
dash-lines-order = Sorted by what got worse: first the lines where a number moved clearly the bad way (intervals apart), then by the rise in defect share, then by the rise in reports per 1,000 scans.
dash-line = Product line
dash-line-worse = clearly worse
dash-before = before:
dash-retired = retired
dash-no-lines = There are no product lines yet.
dash-code = Code
dash-kind-defect = Defect
dash-kind-usability = Hard to use
dash-kind-praise = Praise
dash-kind-other = Other
dash-no-category = no category
dash-other-categories = All other categories
dash-weekly-title = Reports by category by week
dash-weeks-utc = Weeks are ISO weeks (Monday to Sunday) in UTC, built from the daily counts, because there is no time-zone setting yet; the first and last week may be cut by the period.
dash-weekly-desc = Stacked bars: reports per ISO week (UTC) from { $first } to { $last }, one colour per category as in the legend. The busiest week is { $busiest } with { $max } reports. The table below lists every number.
dash-week = Week
dash-week-label = { $week } (from { $monday })
dash-total = Total
dash-legend = Legend
dash-show-table = Show the numbers as a table
dash-no-reports = No reports in this period.
dash-pareto-title = Defect categories (Pareto)
dash-pareto-desc = Bars: defect reports per category in this period, largest first; line: their cumulative share. { $top } alone is { $share } of { $total } defect reports. The table below lists every number.
dash-pareto-bars = Defect reports
dash-pareto-line = Cumulative share
dash-pareto-table = Defect reports by category
dash-category = Category
dash-defect-reports = Defect reports
dash-share = Share
dash-cumulative = Cumulative
dash-no-defects = No defect reports in this period.
dash-lots-title = Lots compared
dash-lots-scope = Lots are compared over all their reports so far, not only the chosen period: a lot's reports keep arriving for as long as its units are in use.
dash-pchart-method = Where production volumes are entered, a lot's defect rate is p = defect reports ÷ units produced, shown as defects per million units (PPM). A lot is flagged when p is above its upper control limit p̄ + 3·√(p̄(1−p̄)/n), where n is the lot's units produced and p̄ the defect rate of all lots with volumes together. Lots without a volume have no rate: their reports alone do not say how many units could have failed.
dash-pchart-none = No lot has a production volume yet, so there is no p-chart. Enter the units produced per lot below.
dash-pchart-one = Only one lot has a production volume: a p-chart needs at least two lots to compare.
dash-pchart-title = Defect rate per lot (p-chart)
dash-pchart-desc = Points: each lot's defect rate in PPM, lots in name order; short red lines: each lot's upper control limit; dashed line: the centre line p̄ at { $centre } PPM. { $above } of { $lots } lots are above their limit. The table below lists every number.
dash-pchart-centre = Centre line p̄ = { $centre } PPM: { $defects } defect reports in { $units } units over { $lots } lots with volumes.
dash-pchart-point = Lot { $lot }: { $ppm } PPM, limit { $limit } PPM
dash-pchart-legend-point = Lot within its limit
dash-pchart-legend-above = Lot above its limit
dash-pchart-legend-limit = Upper control limit
dash-pchart-legend-centre = Centre line p̄
dash-lot-alert = Lot { $lot } is above its upper control limit: { $defects } defect reports in { $units } units is { $ppm } PPM, above the limit of { $limit } PPM.
dash-lots-table = Lots
dash-lot = Lot
dash-defects = Defects
dash-units = Units produced
dash-ppm = Defects per million units (PPM)
dash-ucl = Upper control limit (PPM)
dash-status = Status
dash-lot-above = above the control limit
dash-lot-within = within the control limit
dash-lot-no-volume = no volume entered
dash-no-lots = No reports name a lot yet, and no volumes are entered.
dash-lots-more = { $count ->
    [one] One more lot is not shown here; the API lists every lot.
   *[other] { $count } more lots are not shown here; the API lists every lot.
}
dash-lots-without = { $reports ->
    [one] One report
   *[other] { $reports } reports
} ({ $defects ->
    [one] one defect
   *[other] { $defects } defects
}) name no lot and are not in the comparison.
dash-volume-title = Enter a production volume
dash-volume-hint = The units a lot produced; entering a lot again replaces its volume.
dash-volume-lot-hint = As printed: letters, digits and - . / _, up to 20 characters.
dash-volume-save = Save volume
dash-volume-saved = Saved the volume of lot { $lot }.
dash-volume-error-units = Enter the units produced as a whole number from 1 to 1,000,000,000,000.
dash-volume-viewer = Viewers cannot enter production volumes; an editor or owner can.
dash-newest-title = Newest reports
dash-rating = rating { $rating } of 5
dash-photo-alt = Photo { $n } of this report
dash-notfound-title = Not found
dash-notfound-body = There is no such page in your workspace. It may belong to another manufacturer, or the link is mistyped.
dash-forbidden-title = Not allowed
dash-forbidden-body = Your role does not allow this change. Ask an owner of your workspace.
dash-error-body = The page could not be shown just now. Please try again in a minute.
