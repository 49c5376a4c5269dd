alert-subject = Всплеск: { $count } отз. «{ $kind }»{ $category } — { $line } за { $hours } ч (ожидалось { $expected })
alert-heading = { $manufacturer }: необычно много отзывов о { $line } ({ $code })
alert-summary = { $count ->
    [one] { $count } отзыв
    [few] { $count } отзыва
   *[many] { $count } отзывов
} вида «{ $kind }»{ $category } за { $hours } ч до { $end }.
alert-expected = По предыдущим 28 дням за это время ожидалось { $expected }{ $by_scans ->
    [yes] {" "}с учётом числа сканирований
   *[no] {""}
}.
alert-odds = Случайно столько отзывов бывает примерно 1 раз из { $odds }.
alert-odds-tiny = Случайно столько отзывов бывает реже, чем 1 раз из триллиона.
alert-category = , категория «{ $category }»
alert-reports-heading = Отзывы:
alert-reports-more = …и ещё { $count } во входящих.
alert-report-line = { $at } · оценка { $rating }{ $lot }: { $comment }
alert-report-lot = {" "}· партия { $lot }
alert-no-comment = (без комментария)
alert-inbox = Открыть во входящих: { $url }
alert-footer = Вы получили это письмо, потому что получаете оповещения о всплесках для { $manufacturer }. Пока всплеск продолжается, а также в течение { $cooldown } ч после этого письма, новых оповещений по этой линейке и категории не будет. Владелец может изменить получателей (PUT /api/v1/members/ID/alerts) и пороги (PUT /api/v1/alert-settings).
alert-unsubscribe-line = Чтобы больше не получать оповещения о всплесках, откройте { $url }
alert-unsubscribe-title = Оповещения о всплесках
alert-unsubscribe-ask = Больше не присылать вам оповещения о всплесках? Сводки это не затронет.
alert-unsubscribe-button = Отключить оповещения
alert-unsubscribed = Готово: оповещений о всплесках больше не будет. Владелец рабочего пространства может включить их снова.
