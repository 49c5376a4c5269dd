language-name = English
lang-switch = Language
page-title = Feedback on { $product }
scan-intro = Tell { $manufacturer } what happened with this product. It takes a minute; no account needed.
retired-notice = This product line is no longer made. Your report still reaches the manufacturer.
product-label = Product
lot-label = Production lot
kind-legend = What happened?
kind-defect = Something is defective or broke
kind-usability = It is hard to use
kind-praise = Praise: something works well
kind-other = Something else
rating-legend = Your overall rating
rating-1 = 1 — very bad
rating-2 = 2 — bad
rating-3 = 3 — so-so
rating-4 = 4 — good
rating-5 = 5 — excellent
comment-label = What happened? (optional)
comment-hint = Up to { $max } characters. Please do not include personal data you do not want to share.
email-label = Your email, if you would like an answer (optional)
email-hint = Used only to answer this report. It is not shown to anyone else and not used for advertising.
consent-label = I agree that { $manufacturer } may email me about this report.
submit = Send report
errors-heading = { $count ->
    [one] Please correct one field:
   *[other] Please correct { $count } fields:
}
error-kind-required = Choose what happened.
error-rating-required = Choose a rating from 1 to 5.
error-rating-range = The rating must be a whole number from 1 to 5.
error-comment-too-long = The text is too long: please shorten it.
error-comment-invalid = The text contains characters that cannot be stored.
error-email-invalid = This does not look like an email address.
error-consent-required = Tick the box to allow an answer by email, or leave the email field empty.
error-lot-invalid = A lot number has letters, digits and - . / _ only, up to 20 characters.
thanks-title = Thank you — your report was received
thanks-body = Your report about { $product } has been saved and passed to { $manufacturer }. Their team reads reports in a daily summary.
thanks-reply = You left an email address, so { $manufacturer } can answer you there. We cannot promise that they will.
thanks-no-reply = You did not leave an email address, so you will not get an answer, and nobody can contact you about this report.
thanks-again = Send another report
notfound-title = Unknown code
notfound-body = No product is registered under the code { $code }. Check the characters printed next to the QR code.
mistyped-title = This code looks mistyped
mistyped-body = The code { $code } does not pass its check: a character is probably wrong or was misread. Check the characters printed next to the QR code and try again.
error-title = Something went wrong
error-body = Your report was not saved. Please try again in a minute.
toolarge-title = Too much data
toolarge-body = The form was too large to accept. Please shorten the text and try again.
footer = Feedback service by scanback. No cookies, no tracking.
optional = (optional)
category-label = What is it about? (optional)
category-none = Not sure / skip
recommend-legend = How likely are you to recommend it to a friend?
recommend-hint = 0 = not at all, 10 = definitely.
photos-label = Photos (optional)
photos-hint = { $max ->
    [one] Up to one photo
   *[other] Up to { $max } photos
}, JPEG, PNG or WebP, at most 10 MB each. Location and camera data are removed.
usage-label = How long have you had it? (optional)
usage-none = Prefer not to say
usage-lt1m = Less than a month
usage-1to6m = 1 to 6 months
usage-6to12m = 6 to 12 months
usage-1to3y = 1 to 3 years
usage-gt3y = More than 3 years
lot-hint = The lot number is printed next to the QR code or on the bottom of the product, often starting with L.
error-category-invalid = Choose a topic that matches what happened, or leave it empty.
error-recommend-range = Choose a number from 0 to 10.
error-usage-invalid = Choose one of the listed periods.
error-photo-format = A photo could not be used: it must be a JPEG, PNG or WebP picture.
error-photo-too-large = A photo is larger than 10 MB. Please choose a smaller one.
error-photo-pixels = A photo has too many pixels to process (at most 25 megapixels). Please choose a smaller one.
error-photo-count = Please attach at most 3 photos.
error-rate-limited = Many reports came from your connection in a short time. Please wait a minute and send again; what you typed is kept below.
error-spam = The form could not be accepted. Please check it and send it again.
error-text-unreadable = Some of the text could not be read (a character was damaged on the way). Please check the fields below, correct them and send again.
error-serial-invalid = The serial number from the code could not be read, so it is left out. Send the form again to report without it.
print-title = QR code artwork from { $manufacturer }
print-intro = { $manufacturer } shared this QR code artwork with you. Download the files for your print process; no account is needed.
print-expires = This link works until { $date }.
print-profile = Print profile
print-bundle = Download everything as one ZIP (every format and the spec sheets)
print-preview-alt = QR code of { $product }
print-code = Code
print-downloads = Downloads
print-spec-sheet = spec sheet (PDF)
print-fact-url = Encoded URL
print-fact-symbol = Symbol
print-fact-symbol-value = QR Code version { $version } ({ $modules } × { $modules } modules)
print-fact-ec = Error correction
print-fact-ec-value = level { $level } (restores about { $percent } % of the symbol)
print-fact-module-value = { $mm } mm
print-fact-module = Module size
print-fact-quiet = Quiet zone
print-fact-quiet-value = { $modules } modules = { $mm } mm on every side
print-fact-size = Size
print-fact-size-value = { $total } × { $total } mm including the quiet zone; never smaller than { $min } mm
print-fact-contrast = Minimum contrast
print-fact-contrast-value = print contrast signal of at least { $pcs } %
print-fact-polarity = Polarity
print-inverted = inverted: light marks on a dark surround; the quiet zone stays dark
print-advice = Keep the quiet zone free of any print, never scale below the smallest size, and scan one printed code with a phone before the run.
print-error-body = The artwork could not be made just now. Please try again in a minute.
print-size-label = Size in mm (the code with its quiet zone)
print-size-range = Smallest size that scans with this profile: { $min } mm. Largest the files can be made at: { $max } mm.
print-size-apply = Use this size for the downloads
print-size-too-small = { $size } mm is too small for { $profile }: this code needs at least { $min } mm.
print-size-too-large = { $size } mm is larger than the files can be made at with { $profile }: at most { $max } mm.
print-size-invalid = “{ $size }” is not a size in millimetres: enter a number from { $min } to { $max }.
print-refused-title = This file cannot be made
print-name-unprintable = The product name contains { $char }, which the print font cannot draw. Ask { $manufacturer } to change the name.
share-notfound-title = Unknown link
share-notfound-body = This print link does not exist. Check that the whole link was copied, or ask whoever sent it for a new one.
share-expired-title = This link has expired
share-expired-body = This print link from { $manufacturer } has expired. Please ask { $manufacturer }, who sent you the link, for a new one.
share-revoked-title = This link was withdrawn
share-revoked-body = { $manufacturer } has withdrawn this print link. Please ask { $manufacturer }, who sent you the link, for the current artwork.

## Signing in (manufacturers)
login-title = Sign in
login-email = Email
login-password = Password
login-submit = Sign in
login-forgot = Forgot your password?
login-invalid = The email or the password is wrong.
login-locked = Too many failed sign-ins. Sign-in for this account or connection opens again at { $until } (UTC), in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
reset-title = Reset your password
reset-intro = Enter the email you sign in with. If it has an account, we send a link that sets a new password; it works once, for one hour.
reset-submit = Send the link
reset-sent = If that address has an account, a link is on its way. It works once, for one hour. Check your spam folder if nothing arrives in a few minutes.
reset-new-title = Choose a new password
reset-gone-title = This link no longer works
reset-gone-body = Reset links work once, for one hour. Ask for a new one on the sign-in page.
password-new = New password
password-confirm = The same password again
password-hint = At least 10 characters. A few unrelated words make a good one.
password-submit = Save the password and sign in
password-too-short = Use at least { $min } characters.
password-too-long = Use at most { $max } characters.
password-mismatch = The two passwords differ.
landing-title = scanback: feedback from the people who use your products
landing-what = scanback gives each product line a durable QR code on the packaging or on the product itself. A customer scans it and reports a defect, a usability problem or praise in under a minute: no app, no account, no cookies.
landing-how = Manufacturers see the reports per product line, lot and category, get digests and alerts by email, and answer customers who asked for an answer. Print shops download print-ready artwork from a share link.
landing-sign-in = Sign in to your workspace
home-title = Your workspace
home-signed-in = Signed in as { $email } ({ $role }) for { $manufacturer }.
logout = Sign out
dash-forbidden-title = Not allowed
dash-forbidden-body = Your role does not allow this. Ask an owner of your workspace.
dash-badform-title = The form could not be accepted
dash-badform-body = The form was too old or came from another site. Go back, reload the page and send it again.
dash-notfound-title = Not found
dash-notfound-body = There is nothing here, or it belongs to another workspace.
dash-error-body = Nothing was changed. Please try again in a minute.
mail-lockout-subject = Sign-in to { $email } paused after { $count } failed attempts
mail-lockout-body = There were { $count } failed sign-ins to the scanback account { $email } within 15 minutes. Sign-in for it is paused until { $until } (UTC).

    If this was not someone from your team, the password may be under attack: the pause stops guessing, and a password reset at { $url } sets a new one.
mail-reset-subject = Your scanback password reset link
mail-reset-body = Someone asked to reset the password of this scanback account. If it was you, open this link within one hour to choose a new password (it works once):

    { $url }

    If it was not you, ignore this mail: the password stays as it is.
mail-invite-subject = { $inviter } invites you to the scanback workspace of { $manufacturer }
mail-invite-body = { $inviter } invites you to join the scanback workspace of { $manufacturer } as { $role }. There you read the reports customers send about the products, and answer them.

    Open this link within 7 days to choose a password; it works once:

    { $url }

    If you did not expect this, ignore the mail: nothing happens without the link.
members-title = Members
members-invite = Invite someone
members-email = Email
members-role = Role
members-joined = Joined
members-send = Send the invitation
members-invited = The invitation is on its way. The link works once, for 7 days.
members-pending = Invited, not joined yet
members-expires = Link valid until
members-change = Change
members-remove = Remove
members-you = (you)
role-viewer = viewer (reads)
role-editor = editor (also triages and answers)
role-owner = owner (also manages members, lines and tokens)
invite-title = Join { $manufacturer }
invite-gone-title = This invitation no longer works
invite-gone-body = Invitation links work once, for 7 days. Ask whoever invited you for a new one.
tokens-title = API tokens
tokens-label = What uses it
tokens-write = May also change things (write)
tokens-create = Create the token
tokens-created = Copy this token now: it is shown only this once.
tokens-scope = Scope
tokens-by = Belongs to
tokens-created-at = Created
tokens-revoke = Revoke
tokens-revoked = revoked
nav-home = Workspace
nav-members = Members
nav-tokens = API tokens
mail-reply-subject = { $manufacturer } answers your report about { $product }
mail-reply-footer-mail = To answer, reply to this mail, or write at { $url } (the link works for 30 days). You wrote: “{ $excerpt }”
mail-reply-footer-link = To answer, write at { $url } (the link works for 30 days; replies to this mail are not read). You wrote: “{ $excerpt }”
answer-title = Your report about { $product }
answer-you-wrote = You wrote
answer-from = { $manufacturer } answered
answer-you = You answered
answer-label = Your answer to { $manufacturer }
answer-submit = Send the answer
answer-sent = Thank you: { $manufacturer } sees your answer with your report.
answer-gone-title = This link no longer works
answer-gone-body = Answer links work for 30 days. To report something new, scan the code on the product again.
choices-heading = { $product }: choose a link
choices-intro = There is more than one link of this kind for this product. Choose the one you want.
mail-broadcast-subject = News from { $manufacturer } about your report on { $product }
mail-broadcast-footer = You receive this once because you reported this problem with { $product } and left your email for an answer.
nav-reports = Reports
inbox-title = Reports
inbox-filters = Filters
inbox-any = Any
inbox-line = Product line
inbox-lot = Lot
inbox-kind = Kind
inbox-category = Category
inbox-status = Status
inbox-from = From (date)
inbox-until = Until (date, included)
inbox-has-email = Email
inbox-email-yes = With an email
inbox-email-no = Without an email
inbox-text = Text in the comment
inbox-apply = Show
inbox-reset = Clear the filters
inbox-all = All
inbox-summary = { $count ->
    [one] { $count } report matches these filters
   *[other] { $count } reports match these filters
}
inbox-export = Download them as CSV
inbox-none = No report matches these filters.
inbox-select = Select the report of
inbox-date = Received
inbox-comment = Comment
inbox-assignee = Assigned to
inbox-nobody = Nobody
inbox-bulk = With the selected reports
inbox-bulk-status = Set this status
inbox-bulk-assign = Assign to this member
inbox-next = Older reports
inbox-first = Back to the newest
status-new = New
status-in_progress = In progress
status-resolved = Resolved
status-wont_fix = Won't fix
kind-name-defect = Defect
kind-name-usability = Hard to use
kind-name-praise = Praise
kind-name-other = Other
report-title = Report of { $date }
report-back = Back to the reports
report-rating = Rating
report-recommend = Would recommend
report-usage = Had it for
report-serial = Serial number
report-consent = Consent given
report-language = Language
report-email = Customer's email
report-no-email = none (the customer cannot be answered)
report-photos = Photos
report-photo-alt = Photo { $n } of the report (opens the full size)
report-triage = Triage
report-save-status = Save the status
report-save-assignee = Save the assignment
report-reply = Reply to the customer
report-reply-message = Your message
report-reply-status = Status after the reply
report-reply-status-default = In progress (unless you choose another)
report-reply-send = Send the reply
report-reply-none = The customer left no email, so there is nobody to answer.
report-reply-editors = Editors and owners answer customers.
report-notes = Internal notes
report-notes-hint = Only your team sees notes. The customer never does.
report-notes-none = No notes yet.
report-note-new = New note
report-note-add = Add the note
report-note-invalid = Write a note of 1 to { $max } characters.
report-invalid-status = Choose one of the statuses.
report-history = History
report-history-none = Nothing has changed since the report arrived.
history-status = changed the status from { $from } to { $to }
history-assigned = assigned it to { $to }
history-unassigned = removed the assignment
history-note = added a note
history-reply = replied to the customer
history-other = { $kind }
history-former-member = a former member

# Refusals the workspace and the reply page show (the API sends the English text)
members-error-email = This is not an email address.
members-error-role = Choose viewer, editor or owner.
members-error-exists = This address already has an account.
members-error-last-owner = A workspace keeps at least one owner: make someone else owner first.
tokens-error-label = Name the token in 1 to 80 characters (what uses it).
message-error-empty = Write a message.
message-error-long = The message is longer than { $max } characters.
message-error-chars = The message contains characters that cannot be sent.
reply-error-no-email = This customer left no email address, so there is nobody to answer.
bulk-error-none = Choose at least one report.
bulk-error-many = Choose at most { $max } reports at once.

# Tell everyone affected
broadcast-title = Tell everyone affected
broadcast-hint = Write once to every customer who reported a topic on this line in a period and agreed to be answered, e.g. “the coating problem is fixed in lots from L2703”. You see how many it reaches before anything is sent, and the same message is never sent twice.
broadcast-topic = Topic
broadcast-from = Reported from
broadcast-until = Reported until
broadcast-message = Message
broadcast-message-hint = Sent as written, in plain text, with your company as the sender.
broadcast-preview-button = Preview the recipients
broadcast-preview-title = Before you send
broadcast-preview = { $count ->
    [0] Nobody who reported { $topic } from { $from } to { $until } left an email and agreed to be answered.
    [one] This message goes to { $count } customer who reported { $topic } from { $from } to { $until }.
   *[other] This message goes to { $count } customers who reported { $topic } from { $from } to { $until }.
}
broadcast-send = { $count ->
    [one] Send to { $count } customer
   *[other] Send to { $count } customers
}
broadcast-edit = Change the message
broadcast-sent = { $count ->
    [one] Sent to { $count } customer.
   *[other] Sent to { $count } customers.
}
broadcast-already-sent = { $count ->
    [one] This message already went to { $count } customer; nothing new was sent.
   *[other] This message already went to { $count } customers; nothing new was sent.
}
broadcast-back = Back to { $line }
broadcast-error-topic = Choose a topic from the list.
broadcast-error-period = The period must start before it ends.
broadcast-error-dates = Enter both dates as YYYY-MM-DD.
broadcast-error-message = Write a message of 1 to { $max } characters.
report-conversation = Conversation with the customer
report-conversation-none = Nobody has written to the customer yet.
report-conversation-ours = Your team wrote
report-conversation-theirs = The customer answered

## Suggested categories
inbox-suggestion = Suggested category
inbox-suggestion-any = With a suggestion
inbox-suggestion-unsure-only = Unsure suggestions
inbox-suggestion-sure = suggested: { $category } ({ $percent } %)
inbox-suggestion-unsure = unsure: { $category }? ({ $percent } %)
inbox-unsure-first = { $count ->
    [one] { $count } report has an unsure category suggestion: look at it first
   *[other] { $count } reports have an unsure category suggestion: look at them first
}
report-suggestion = Suggested category
report-save-category = Save the category
report-invalid-category = Choose one of the categories of this kind of report.
unavailable-title = Not available just now
unavailable-body = This page cannot be shown or saved just now, and nothing was stored. Please try again in a few minutes.
dash-unavailable-body = The database cannot be reached just now, so nothing was changed. Please try again in a few minutes.
error-unavailable = Your report could not be saved just now, and nothing was stored. Please send it again in a few minutes; what you typed is kept below (photos have to be chosen again).

## Responsibility zones
nav-zones = Zones
inbox-zone = Zone
inbox-zone-all = Every zone
zones-title = Responsibility zones
zones-explain = A zone is a team that owns some categories, on every line or on some. A report goes to the zones that own its category, or, when it has none, its suggested category. A member of exactly one zone sees that zone's reports in the inbox first.
zones-none = No zones yet.
zones-list = Zones
zones-add = Add a zone
zones-name = Name
zones-categories = Categories it owns
zones-lines = Product lines
zones-lines-hint = Tick none for every line, the ones added later included.
zones-members = Members
zones-target = Response target, in working days (1–30)
zones-save = Save
zones-create = Add the zone
zones-delete = Delete
zones-every-line = every line
zones-kpis-title = Zones: response KPIs
zones-kpis-explain = { $days ->
    [one] Reports of the last day.
   *[other] Reports of the last { $days } days.
} A first response is the first reply sent or the first change of status. Times are nearest-rank percentiles over the reports answered; the share is over the reports whose target has passed or that were answered.
zones-zone = Zone
zones-reports = Reports
zones-responded = { $count ->
    [one] one answered
   *[other] { $count } answered
}
zones-median = Median first response
zones-p90 = 90th percentile
zones-within = Within target
zones-open = Open
zones-hours = { $hours } h
zones-days = { $days } days
zones-share = { $percent } % of { $n }
zones-target-days = { $days ->
    [one] target: 1 working day
   *[other] target: { $days } working days
}
zones-age-under = open under { $days ->
    [one] 1 day
   *[other] { $days } days
}
zones-age-between = { $from }–{ $to } days
zones-age-over = { $days } days and more
digest-zones = Your zones
digest-zone-row = { $zone } ({ $open } open now)
digest-newest-zones = Newest reports in your zones
inbox-first-title = Look at these first: the category suggestion is unsure
nav-keywords = Keywords
keywords-title = Keywords for category suggestions
keywords-explain = Before the team has corrected enough reports, suggestions come from these words and from each category's own name. One word or phrase a line; stems match, so "hot" also finds "hotter". Corrections soon outweigh them.
keywords-save = Save the keywords
inbox-bulk-category = Set this category (reports of its kind)
