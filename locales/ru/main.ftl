language-name = Русский
lang-switch = Язык
page-title = Отзыв о товаре { $product }
scan-intro = Расскажите компании { $manufacturer }, что произошло с этим товаром. Это займёт минуту, регистрация не нужна.
retired-notice = Эта линейка больше не выпускается. Ваш отзыв всё равно дойдёт до производителя.
product-label = Товар
lot-label = Партия
kind-legend = Что произошло?
kind-defect = Есть дефект или что-то сломалось
kind-usability = Неудобно пользоваться
kind-praise = Похвала: что-то работает хорошо
kind-other = Другое
rating-legend = Ваша общая оценка
rating-1 = 1 — очень плохо
rating-2 = 2 — плохо
rating-3 = 3 — так себе
rating-4 = 4 — хорошо
rating-5 = 5 — отлично
comment-label = Что случилось? (необязательно)
comment-hint = { $max ->
    [one] Не больше { $max } символа.
    [few] Не больше { $max } символов.
   *[other] Не больше { $max } символов.
} Не указывайте личные данные, которыми не хотите делиться.
email-label = Ваш email, если хотите получить ответ (необязательно)
email-hint = Используется только для ответа на этот отзыв. Никому не показывается и не используется для рекламы.
consent-label = Я согласен(на), что { $manufacturer } может написать мне по поводу этого отзыва.
submit = Отправить отзыв
errors-heading = { $count ->
    [one] Исправьте { $count } поле:
    [few] Исправьте { $count } поля:
   *[many] Исправьте { $count } полей:
}
error-kind-required = Выберите, что произошло.
error-rating-required = Выберите оценку от 1 до 5.
error-rating-range = Оценка — целое число от 1 до 5.
error-comment-too-long = Текст слишком длинный, сократите его.
error-comment-invalid = В тексте есть символы, которые нельзя сохранить.
error-email-invalid = Это не похоже на адрес электронной почты.
error-consent-required = Отметьте согласие на ответ по почте или оставьте поле email пустым.
error-lot-invalid = Номер партии — только буквы, цифры и - . / _, не длиннее 20 символов.
thanks-title = Спасибо, ваш отзыв получен
thanks-body = Ваш отзыв о товаре { $product } сохранён и передан компании { $manufacturer }. Её команда читает отзывы в ежедневной сводке.
thanks-reply = Вы оставили адрес почты, поэтому { $manufacturer } сможет вам ответить. Обещать, что ответ придёт, мы не можем.
thanks-no-reply = Вы не оставили адрес почты, поэтому ответа не будет и никто не сможет связаться с вами по этому отзыву.
thanks-again = Отправить ещё один отзыв
notfound-title = Неизвестный код
notfound-body = Под кодом { $code } не зарегистрирован ни один товар. Сверьте символы, напечатанные рядом с QR-кодом.
mistyped-title = Похоже, код введён с ошибкой
mistyped-body = Код { $code } не проходит проверку: вероятно, один из символов неверен или плохо читается. Сверьте символы рядом с QR-кодом и попробуйте ещё раз.
error-title = Что-то пошло не так
error-body = Ваш отзыв не сохранён. Попробуйте ещё раз через минуту.
toolarge-title = Слишком много данных
toolarge-body = Форма слишком большая. Сократите текст и попробуйте ещё раз.
footer = Сервис отзывов scanback. Без cookie и без слежки.
optional = (необязательно)
category-label = О чём отзыв? (необязательно)
category-none = Не знаю / пропустить
recommend-legend = Насколько вероятно, что вы порекомендуете товар другу?
recommend-hint = 0 — точно нет, 10 — обязательно.
photos-label = Фотографии (необязательно)
photos-hint = { $max ->
    [one] Не больше { $max } фотографии
   *[other] Не больше { $max } фотографий
}: JPEG, PNG или WebP, до 10 МБ каждая. Данные о месте съёмки и камере удаляются.
usage-label = Как давно у вас этот товар? (необязательно)
usage-none = Не хочу указывать
usage-lt1m = Меньше месяца
usage-1to6m = От 1 до 6 месяцев
usage-6to12m = От 6 до 12 месяцев
usage-1to3y = От 1 до 3 лет
usage-gt3y = Больше 3 лет
lot-hint = Номер партии напечатан рядом с QR-кодом или на дне изделия, часто начинается с L.
error-category-invalid = Выберите тему, которая подходит к случившемуся, или оставьте поле пустым.
error-recommend-range = Выберите число от 0 до 10.
error-usage-invalid = Выберите один из предложенных сроков.
error-photo-format = Фотографию не удалось использовать: нужен файл JPEG, PNG или WebP.
error-photo-too-large = Фотография больше 10 МБ. Выберите файл поменьше.
error-photo-pixels = В фотографии слишком много пикселей (можно не больше 25 мегапикселей). Выберите снимок поменьше.
error-photo-count = Прикрепите не больше 3 фотографий.
error-rate-limited = С вашего подключения пришло много отзывов за короткое время. Подождите минуту и отправьте снова — введённое сохранено ниже.
error-spam = Форму не удалось принять. Проверьте её и отправьте ещё раз.
error-text-unreadable = Часть текста не удалось прочитать (символ повредился при отправке). Проверьте поля ниже, исправьте и отправьте ещё раз.
error-serial-invalid = Серийный номер из кода не удалось прочитать, поэтому он не будет сохранён. Отправьте форму ещё раз — отзыв уйдёт без него.
print-title = Макеты QR-кодов от { $manufacturer }
print-intro = { $manufacturer } передаёт вам эти макеты QR-кодов. Скачайте файлы для вашего способа печати; регистрация не нужна.
print-expires = Ссылка действует до { $date }.
print-profile = Профиль печати
print-bundle = Скачать всё одним ZIP-архивом (все форматы и паспорта)
print-preview-alt = QR-код товара { $product }
print-code = Код
print-downloads = Файлы
print-spec-sheet = паспорт макета (PDF)
print-fact-url = Закодированный адрес
print-fact-symbol = Символ
print-fact-symbol-value = QR Code версии { $version } ({ $modules } × { $modules } модулей)
print-fact-ec = Коррекция ошибок
print-fact-ec-value = уровень { $level } (восстанавливает около { $percent } % символа)
print-fact-module-value = { $mm } мм
print-fact-module = Размер модуля
print-fact-quiet = Свободная зона
print-fact-quiet-value = { $modules } { $modules ->
    [one] модуль
    [few] модуля
   *[many] модулей
} = { $mm } мм с каждой стороны
print-fact-size = Размер
print-fact-size-value = { $total } × { $total } мм вместе со свободной зоной; не меньше { $min } мм
print-fact-contrast = Минимальный контраст
print-fact-contrast-value = контраст печати (PCS) не ниже { $pcs } %
print-fact-polarity = Полярность
print-inverted = инверсная: светлые метки на тёмном фоне; свободная зона остаётся тёмной
print-advice = Не печатайте ничего в свободной зоне, не уменьшайте код ниже минимального размера и перед тиражом проверьте один отпечаток телефоном.
print-error-body = Сейчас не удалось подготовить макет. Попробуйте ещё раз через минуту.
print-size-label = Размер в мм (код вместе со свободной зоной)
print-size-range = Наименьший размер, который сканируется с этим профилем: { $min } мм. Наибольший, в котором можно подготовить файлы: { $max } мм.
print-size-apply = Скачивать файлы в этом размере
print-size-too-small = { $size } мм — слишком мало для профиля { $profile }: этому коду нужно не меньше { $min } мм.
print-size-too-large = { $size } мм — больше, чем можно подготовить файлы для профиля { $profile }: не больше { $max } мм.
print-size-invalid = «{ $size }» — не размер в миллиметрах: введите число от { $min } до { $max }.
print-refused-title = Этот файл нельзя подготовить
print-name-unprintable = В названии товара есть символ { $char }, которого нет в шрифте печати. Попросите { $manufacturer } изменить название.
share-notfound-title = Неизвестная ссылка
share-notfound-body = Такой ссылки на макеты нет. Проверьте, что ссылка скопирована целиком, или попросите новую у того, кто её прислал.
share-expired-title = Срок действия ссылки истёк
share-expired-body = Срок действия этой ссылки на макеты истёк. Попросите новую ссылку у компании { $manufacturer } — она прислала вам эту.
share-revoked-title = Ссылка отозвана
share-revoked-body = Компания { $manufacturer } отозвала эту ссылку на макеты. Актуальные макеты запросите у компании { $manufacturer } — она прислала вам ссылку.

## Вход (производители)
login-title = Вход
login-email = Эл. почта
login-password = Пароль
login-submit = Войти
login-forgot = Забыли пароль?
login-invalid = Неверная почта или пароль.
login-locked = Слишком много неудачных попыток входа. Вход для этой учётной записи или подключения снова откроется в { $until } (UTC), через { $minutes ->
    [one] { $minutes } минуту
    [few] { $minutes } минуты
   *[other] { $minutes } минут
}.
reset-title = Сброс пароля
reset-intro = Укажите почту, с которой вы входите. Если для неё есть учётная запись, мы пришлём ссылку для нового пароля; она действует один раз в течение часа.
reset-submit = Прислать ссылку
reset-sent = Если для этого адреса есть учётная запись, ссылка уже в пути. Она действует один раз в течение часа. Если письма нет через несколько минут, проверьте папку «Спам».
reset-new-title = Новый пароль
reset-gone-title = Ссылка больше не действует
reset-gone-body = Ссылка для сброса действует один раз в течение часа. Запросите новую на странице входа.
password-new = Новый пароль
password-confirm = Тот же пароль ещё раз
password-hint = Не меньше 10 символов. Хороший пароль — несколько несвязанных слов.
password-submit = Сохранить пароль и войти
password-too-short = Не меньше { $min } символов.
password-too-long = Не больше { $max } символов.
password-mismatch = Пароли не совпадают.
landing-title = scanback: отзывы тех, кто пользуется вашими товарами
landing-what = scanback даёт каждой товарной линейке долговечный QR-код на упаковке или на самом изделии. Покупатель сканирует его и меньше чем за минуту сообщает о дефекте, неудобстве или благодарит — без приложения, без регистрации, без cookie.
landing-how = Производитель видит отзывы по линейкам, партиям и категориям, получает сводки и оповещения по почте и отвечает покупателям, которые просили ответ. Типографии скачивают готовые к печати макеты по ссылке.
landing-sign-in = Войти в рабочее пространство
home-title = Рабочее пространство
home-signed-in = Вы вошли как { $email } ({ $role }) в { $manufacturer }.
logout = Выйти
dash-forbidden-title = Недоступно
dash-forbidden-body = Ваша роль не позволяет это сделать. Обратитесь к владельцу рабочего пространства.
dash-badform-title = Форма не принята
dash-badform-body = Форма устарела или отправлена с другого сайта. Вернитесь, обновите страницу и отправьте её снова.
dash-notfound-title = Не найдено
dash-notfound-body = Здесь ничего нет, или это относится к другому рабочему пространству.
dash-error-body = Ничего не изменено. Попробуйте ещё раз через минуту.
mail-lockout-subject = Вход в { $email } приостановлен после { $count } неудачных попыток
mail-lockout-body = За 15 минут было { $count } неудачных попыток входа в учётную запись scanback { $email }. Вход приостановлен до { $until } (UTC).

    Если это был не кто-то из вашей команды, пароль, возможно, подбирают: пауза останавливает подбор, а сброс пароля по адресу { $url } задаёт новый.
mail-reset-subject = Ссылка для сброса пароля scanback
mail-reset-body = Кто-то попросил сбросить пароль этой учётной записи scanback. Если это были вы, откройте ссылку в течение часа и задайте новый пароль (она действует один раз):

    { $url }

    Если это были не вы, просто не обращайте внимания на письмо: пароль останется прежним.
mail-invite-subject = { $inviter } приглашает вас в рабочее пространство scanback компании { $manufacturer }
mail-invite-body = { $inviter } приглашает вас в рабочее пространство scanback компании { $manufacturer } с ролью { $role }. Там вы читаете отзывы покупателей о товарах и отвечаете им.

    Откройте ссылку в течение 7 дней и задайте пароль; она действует один раз:

    { $url }

    Если вы не ждали приглашения, просто не обращайте внимания на письмо: без ссылки ничего не произойдёт.
members-title = Участники
members-invite = Пригласить
members-email = Эл. почта
members-role = Роль
members-joined = С нами с
members-send = Отправить приглашение
members-invited = Приглашение отправлено. Ссылка действует один раз в течение 7 дней.
members-pending = Приглашены, ещё не вошли
members-expires = Ссылка действует до
members-change = Изменить
members-remove = Удалить
members-you = (вы)
role-viewer = наблюдатель (читает)
role-editor = редактор (также разбирает отзывы и отвечает)
role-owner = владелец (также управляет участниками, линейками и токенами)
invite-title = Присоединиться к { $manufacturer }
invite-gone-title = Приглашение больше не действует
invite-gone-body = Ссылка-приглашение действует один раз в течение 7 дней. Попросите пригласившего прислать новую.
tokens-title = API-токены
tokens-label = Для чего он
tokens-write = Может и изменять (запись)
tokens-create = Создать токен
tokens-created = Скопируйте токен сейчас: он показывается только один раз.
tokens-scope = Права
tokens-by = Принадлежит
tokens-created-at = Создан
tokens-revoke = Отозвать
tokens-revoked = отозван
nav-home = Рабочее пространство
nav-members = Участники
nav-tokens = API-токены
mail-reply-subject = { $manufacturer } отвечает на ваш отзыв о товаре «{ $product }»
mail-reply-footer-mail = Чтобы ответить, ответьте на это письмо или напишите по ссылке { $url } (она действует 30 дней). Вы писали: «{ $excerpt }»
mail-reply-footer-link = Чтобы ответить, напишите по ссылке { $url } (она действует 30 дней; ответы на это письмо не читаются). Вы писали: «{ $excerpt }»
answer-title = Ваш отзыв о товаре «{ $product }»
answer-you-wrote = Вы писали
answer-from = Ответ { $manufacturer }
answer-you = Ваш ответ
answer-label = Ваш ответ для { $manufacturer }
answer-submit = Отправить ответ
answer-sent = Спасибо: { $manufacturer } увидит ваш ответ вместе с отзывом.
answer-gone-title = Ссылка больше не действует
answer-gone-body = Ссылки для ответа действуют 30 дней. Чтобы сообщить о новом, отсканируйте код на товаре ещё раз.
choices-heading = { $product }: выберите ссылку
choices-intro = Для этого товара есть несколько ссылок такого рода. Выберите нужную.
mail-broadcast-subject = Новости от { $manufacturer } по вашему отзыву о товаре «{ $product }»
mail-broadcast-footer = Вы получаете это письмо один раз, потому что сообщили об этой проблеме с товаром «{ $product }» и оставили почту для ответа.
nav-reports = Отзывы
inbox-title = Отзывы
inbox-filters = Фильтры
inbox-any = Любой
inbox-line = Линейка продукции
inbox-lot = Партия
inbox-kind = Тип
inbox-category = Категория
inbox-status = Статус
inbox-from = С (дата)
inbox-until = По (дата, включительно)
inbox-has-email = Email
inbox-email-yes = С email
inbox-email-no = Без email
inbox-text = Текст в комментарии
inbox-apply = Показать
inbox-reset = Сбросить фильтры
inbox-all = Все
inbox-summary = { $count ->
    [one] { $count } отзыв подходит под фильтры
    [few] { $count } отзыва подходят под фильтры
   *[other] { $count } отзывов подходят под фильтры
}
inbox-export = Скачать их в CSV
inbox-none = Ни один отзыв не подходит под эти фильтры.
inbox-select = Выбрать отзыв от
inbox-date = Получен
inbox-comment = Комментарий
inbox-assignee = Ответственный
inbox-nobody = Никто
inbox-bulk = С выбранными отзывами
inbox-bulk-status = Поставить этот статус
inbox-bulk-assign = Назначить этому участнику
inbox-next = Более старые отзывы
inbox-first = К самым новым
status-new = Новый
status-in_progress = В работе
status-resolved = Решён
status-wont_fix = Не будет исправлено
kind-name-defect = Дефект
kind-name-usability = Неудобно пользоваться
kind-name-praise = Похвала
kind-name-other = Другое
report-title = Отзыв от { $date }
report-back = К списку отзывов
report-rating = Оценка
report-recommend = Порекомендовал бы
report-usage = Пользуется
report-serial = Серийный номер
report-consent = Согласие
report-language = Язык
report-email = Email покупателя
report-no-email = нет (покупателю нельзя ответить)
report-photos = Фотографии
report-photo-alt = Фото { $n } к отзыву (открывает полный размер)
report-triage = Разбор
report-save-status = Сохранить статус
report-save-assignee = Сохранить назначение
report-reply = Ответ покупателю
report-reply-message = Ваше сообщение
report-reply-status = Статус после ответа
report-reply-status-default = В работе (если не выбрать другой)
report-reply-send = Отправить ответ
report-reply-none = Покупатель не оставил email, поэтому ответить некому.
report-reply-editors = Отвечают покупателям редакторы и владельцы.
report-notes = Внутренние заметки
report-notes-hint = Заметки видит только ваша команда. Покупатель их никогда не видит.
report-notes-none = Заметок пока нет.
report-note-new = Новая заметка
report-note-add = Добавить заметку
report-note-invalid = Напишите заметку длиной от 1 до { $max } символов.
report-invalid-status = Выберите один из статусов.
report-history = История
report-history-none = С момента получения отзыва ничего не менялось.
history-status = изменил(а) статус с «{ $from }» на «{ $to }»
history-assigned = назначил(а) ответственным { $to }
history-unassigned = снял(а) назначение
history-note = добавил(а) заметку
history-reply = ответил(а) покупателю
history-other = { $kind }
history-former-member = бывший участник

# Отказы, которые показывают кабинет и страница ответа (API отдаёт английский текст)
members-error-email = Это не адрес электронной почты.
members-error-role = Выберите: наблюдатель, редактор или владелец.
members-error-exists = У этого адреса уже есть учётная запись.
members-error-last-owner = В рабочем пространстве должен остаться хотя бы один владелец: сначала назначьте владельцем кого-то другого.
tokens-error-label = Назовите токен: от 1 до 80 символов (что его использует).
message-error-empty = Напишите сообщение.
message-error-long = Сообщение длиннее { $max } символов.
message-error-chars = В сообщении есть символы, которые нельзя отправить.
reply-error-no-email = Покупатель не оставил адрес, поэтому ответить некому.
bulk-error-none = Выберите хотя бы один отзыв.
bulk-error-many = Выберите не больше { $max } отзывов за раз.

# Сообщить всем, кого это касается
broadcast-title = Сообщить всем, кого это касается
broadcast-hint = Напишите один раз всем покупателям, которые сообщили о теме по этой линейке за период и согласились на ответ, например: «проблема с покрытием устранена в партиях начиная с L2703». Перед отправкой видно, скольким людям уйдёт письмо; одно и то же сообщение не уходит дважды.
broadcast-topic = Тема
broadcast-from = Сообщили с
broadcast-until = Сообщили по
broadcast-message = Сообщение
broadcast-message-hint = Отправляется как написано, обычным текстом, от имени вашей компании.
broadcast-preview-button = Показать получателей
broadcast-preview-title = Перед отправкой
broadcast-preview = { $count ->
    [0] Никто из сообщивших о теме «{ $topic }» с { $from } по { $until } не оставил адрес с согласием на ответ.
    [one] Сообщение получит { $count } покупатель, сообщивший о теме «{ $topic }» с { $from } по { $until }.
    [few] Сообщение получат { $count } покупателя, сообщившие о теме «{ $topic }» с { $from } по { $until }.
   *[many] Сообщение получат { $count } покупателей, сообщившие о теме «{ $topic }» с { $from } по { $until }.
}
broadcast-send = { $count ->
    [one] Отправить { $count } покупателю
   *[other] Отправить { $count } покупателям
}
broadcast-edit = Изменить сообщение
broadcast-sent = { $count ->
    [one] Отправлено { $count } покупателю.
   *[other] Отправлено { $count } покупателям.
}
broadcast-already-sent = { $count ->
    [one] Это сообщение уже ушло { $count } покупателю; ничего нового не отправлено.
   *[other] Это сообщение уже ушло { $count } покупателям; ничего нового не отправлено.
}
broadcast-back = Назад к «{ $line }»
broadcast-error-topic = Выберите тему из списка.
broadcast-error-period = Период должен начинаться раньше, чем заканчивается.
broadcast-error-dates = Введите обе даты в виде ГГГГ-ММ-ДД.
broadcast-error-message = Напишите сообщение от 1 до { $max } символов.
report-conversation = Переписка с покупателем
report-conversation-none = Покупателю ещё никто не писал.
report-conversation-ours = Ваша команда написала
report-conversation-theirs = Покупатель ответил

## Предложенные категории
inbox-suggestion = Предложенная категория
inbox-suggestion-any = С предложением
inbox-suggestion-unsure-only = Неуверенные предложения
inbox-suggestion-sure = предложено: { $category } ({ $percent } %)
inbox-suggestion-unsure = не уверены: { $category }? ({ $percent } %)
inbox-unsure-first = { $count ->
    [one] У { $count } отзыва неуверенное предложение категории: посмотрите его первым
    [few] У { $count } отзывов неуверенное предложение категории: посмотрите их первыми
   *[many] У { $count } отзывов неуверенное предложение категории: посмотрите их первыми
}
report-suggestion = Предложенная категория
report-save-category = Сохранить категорию
report-invalid-category = Выберите одну из категорий для этого вида отзыва.
unavailable-title = Сейчас недоступно
unavailable-body = Сейчас страницу не удаётся показать или сохранить, ничего не записано. Попробуйте ещё раз через несколько минут.
dash-unavailable-body = База данных сейчас недоступна, поэтому ничего не изменено. Попробуйте ещё раз через несколько минут.
error-unavailable = Сейчас не удалось сохранить ваш отзыв, ничего не записано. Отправьте его ещё раз через несколько минут — введённое сохранено ниже (фотографии нужно выбрать заново).

## Зоны ответственности
nav-zones = Зоны
inbox-zone = Зона
inbox-zone-all = Все зоны
zones-title = Зоны ответственности
zones-explain = Зона — это команда, отвечающая за некоторые категории на всех линейках или на части из них. Отзыв попадает в зоны, отвечающие за его категорию, а если категории нет — за предложенную. Участник ровно одной зоны видит во входящих сначала её отзывы.
zones-none = Зон пока нет.
zones-list = Зоны
zones-add = Добавить зону
zones-name = Название
zones-categories = Категории зоны
zones-lines = Линейки
zones-lines-hint = Не отмечайте ни одной — и зона будет на всех линейках, включая будущие.
zones-members = Участники
zones-target = Срок первого ответа, рабочих дней (1–30)
zones-save = Сохранить
zones-create = Добавить зону
zones-delete = Удалить
zones-every-line = все линейки
zones-kpis-title = Зоны: показатели ответа
zones-kpis-explain = { $days ->
    [one] Отзывы за последний { $days } день.
    [few] Отзывы за последние { $days } дня.
   *[other] Отзывы за последние { $days } дней.
} Первый ответ — первое отправленное письмо или первая смена статуса. Время — процентили по ближайшему рангу среди отвеченных отзывов; доля — среди отзывов, чей срок истёк или на которые ответили.
zones-zone = Зона
zones-reports = Отзывы
zones-responded = { $count ->
    [one] { $count } отвечен
   *[other] { $count } отвечено
}
zones-median = Медиана первого ответа
zones-p90 = 90-й процентиль
zones-within = В срок
zones-open = Открыто
zones-hours = { $hours } ч
zones-days = { $days } дн.
zones-share = { $percent } % из { $n }
zones-target-days = { $days ->
    [one] срок: { $days } рабочий день
    [few] срок: { $days } рабочих дня
   *[other] срок: { $days } рабочих дней
}
zones-age-under = открыты меньше { $days ->
    [one] { $days } дня
   *[other] { $days } дней
}
zones-age-between = { $from }–{ $to } дн.
zones-age-over = { $days } дн. и больше
digest-zones = Ваши зоны
digest-zone-row = { $zone } (открыто сейчас: { $open })
digest-newest-zones = Новые отзывы в ваших зонах
inbox-first-title = Сначала посмотрите эти: предложенная категория под вопросом
nav-keywords = Ключевые слова
keywords-title = Ключевые слова для предложения категорий
keywords-explain = Пока команда не исправила достаточно отзывов, категории предлагаются по этим словам и по названию самой категории. Одно слово или фраза на строку; сравниваются основы слов, так что «греется» найдёт и «нагревается». Исправления команды быстро перевешивают слова.
keywords-save = Сохранить ключевые слова
inbox-bulk-category = Назначить эту категорию (отзывам её вида)
