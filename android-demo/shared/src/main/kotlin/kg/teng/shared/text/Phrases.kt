package kg.teng.shared.text

/**
 * What the shared layer itself says: sentences built from data (sync state, times, salaries,
 * distances, accessibility facts, errors). Static labels of the screens (headings, button texts,
 * content descriptions) are Android string resources in `app/src/main/res/values{,-ru,-ky}`;
 * labels of the core's enums come from the bindings (`label(language)`); sentences about a
 * building's accessibility come from the core.
 *
 * Words follow the terminal client's (`cli/src/words.rs`) so the apps speak alike. No
 * abbreviations: a screen reader reads them as written.
 */
object Phrases {
    // ---- connection and sync status -------------------------------------------------------------

    val OFFLINE = Phrase(
        "Байланыш жок: Teng серверине жетүү мүмкүн эмес.",
        "Нет связи: сервер Teng недоступен.",
        "Offline: Teng's server cannot be reached.",
    )
    val OFFLINE_STILL_WORKS = Phrase(
        "Бул телефондогу жумуштар интернетсиз деле иштейт.",
        "Вакансии на этом телефоне доступны и без сети.",
        "The jobs on this phone work without a connection.",
    )
    val LAST_SYNC_UNFINISHED = Phrase(
        "Акыркы синхрондоо аягына чыккан жок.",
        "Последняя синхронизация не завершилась.",
        "The last sync did not finish.",
    )
    val NEVER_SYNCED = Phrase(
        "Азырынча синхрондолгон жок.",
        "Синхронизации ещё не было.",
        "Never synced.",
    )
    val LAST_SYNCED = Phrase(
        "Акыркы синхрондоо: {0}.",
        "Последняя синхронизация: {0}.",
        "Last synced {0}.",
    )
    val PENDING_ACTIONS = Phrase(
        "Жөнөтүлө элек аракеттер: {0}.",
        "Действия, ещё не отправленные: {0}.",
        "Actions not sent yet: {0}.",
    )
    val PROBLEMS = Phrase(
        "Сервер кабыл албаган аракеттер: {0}.",
        "Действия, не принятые сервером: {0}.",
        "Actions the server did not accept: {0}.",
    )
    val NO_JOBS_ON_PHONE = Phrase(
        "Бул телефондо азырынча жумуш жок. Аларды алуу үчүн синхрондоңуз.",
        "На этом телефоне пока нет вакансий. Синхронизируйте, чтобы их получить.",
        "There are no jobs on this phone yet. Sync to get them.",
    )

    // ---- a running sync -------------------------------------------------------------------------

    val SYNC_STARTING = Phrase(
        "Синхрондоо башталууда…",
        "Синхронизация начинается…",
        "Starting to sync…",
    )
    val SENDING = Phrase(
        "Аракеттериңиз жөнөтүлүүдө",
        "Отправка ваших действий",
        "Sending your actions",
    )
    val RECEIVING = Phrase(
        "Өзгөрүүлөр алынууда",
        "Получение изменений",
        "Receiving changes",
    )
    val PROGRESS_OF = Phrase("{0}: {2} ичинен {1}", "{0}: {1} из {2}", "{0}: {1} of {2}")
    val PROGRESS_SO_FAR = Phrase("{0}: {1}", "{0}: {1}", "{0}: {1}")
    val CANCELLING = Phrase(
        "Токтотулууда… Алынгандын баары сакталат.",
        "Отмена… Всё полученное будет сохранено.",
        "Cancelling… Everything received so far is kept.",
    )

    // ---- how a sync ended -----------------------------------------------------------------------

    val SYNC_DONE = Phrase(
        "Синхрондоо бүттү. Алынган өзгөрүүлөр: {0}. Жөнөтүлгөн аракеттер: {1}.",
        "Синхронизация завершена. Получено изменений: {0}. Отправлено действий: {1}.",
        "Sync finished. Changes received: {0}. Actions sent: {1}.",
    )
    val SYNC_LEFT_FOR_LATER = Phrase(
        "Кийинкиге калган аракеттер: {0}.",
        "Оставлено до следующего раза: {0}.",
        "Actions left for next time: {0}.",
    )
    val SYNC_CANCELLED = Phrase(
        "Синхрондоо токтотулду. Алынгандын баары сакталды; жөнөтүлө электер кезекте калды.",
        "Синхронизация отменена. Всё полученное сохранено; неотправленное осталось в очереди.",
        "Sync cancelled. Everything received so far is kept; what was not sent stays queued.",
    )
    val SYNC_OFFLINE = Phrase(
        "Серверге туташуу мүмкүн болгон жок. Эч нерсе жоголгон жок: жасаганыңыздын баары сакталды жана кийинки синхрондоодо жөнөтүлөт.",
        "Не удалось связаться с сервером. Ничего не потеряно: всё, что вы сделали, сохранено и будет отправлено при следующей синхронизации.",
        "Could not reach the server. Nothing is lost: everything you did is kept and will be sent on the next sync.",
    )
    val SYNC_UNAUTHORIZED = Phrase(
        "Сервер бул телефонду тааныган жок. Жөнөтүлө электер кезекте калды.",
        "Сервер не узнал этот телефон. Неотправленное осталось в очереди.",
        "The server did not recognise this phone. What was not sent stays queued.",
    )
    val SYNC_ALREADY_RUNNING = Phrase(
        "Синхрондоо жүрүп жатат; аягына чыкканын күтүңүз.",
        "Синхронизация уже идёт; дождитесь её окончания.",
        "A sync is already running; wait for it to finish.",
    )
    val SYNC_REFUSED = Phrase(
        "Сервер синхрондоону четке какты ({0}). Кийинчерээк кайра аракет кылыңыз.",
        "Сервер отклонил синхронизацию ({0}). Попробуйте позже.",
        "The server refused the sync ({0}). Try again later.",
    )
    val SYNC_FAILED = Phrase(
        "Синхрондоо ишке ашкан жок. Кийинчерээк кайра аракет кылыңыз.",
        "Синхронизация не удалась. Попробуйте позже.",
        "The sync failed. Try again later.",
    )

    // ---- time -----------------------------------------------------------------------------------

    val JUST_NOW = Phrase("азыр эле", "только что", "just now")

    // ---- numbers and units ----------------------------------------------------------------------

    val SALARY_RANGE = Phrase("{0} сомдон {1} сомго чейин, {2}", "от {0} до {1} сом {2}", "{0} to {1} som {2}")
    val SALARY_FROM = Phrase("{0} сомдон баштап, {1}", "от {0} сом {1}", "from {0} som {1}")
    val SALARY_UP_TO = Phrase("{0} сомго чейин, {1}", "до {0} сом {1}", "up to {0} som {1}")
    val SALARY_EXACT = Phrase("{0} сом, {1}", "{0} сом {1}", "{0} som {1}")
    val SALARY_NOT_STATED = Phrase(
        "Айлык акы көрсөтүлгөн эмес",
        "Зарплата не указана",
        "Salary not stated",
    )
    val AWAY = Phrase("{0} алыстыкта", "{0} от вас", "{0} away")
    val FLOOR_ABOVE = Phrase("{0}-кабат", "этаж {0}", "floor {0}")
    val FLOOR_BELOW = Phrase("жертөлө, {0}-деңгээл", "подвал, уровень {0}", "basement level {0}")
    val NOBODY_SIGNS = Phrase(
        "жаңсоо тилин эч ким билбейт",
        "никто не владеет жестовым языком",
        "nobody signs",
    )

    // ---- search results -------------------------------------------------------------------------

    val JOBS_FOUND = Phrase("Табылган жумуштар: {0}.", "Найдено вакансий: {0}.", "Jobs found: {0}.")
    val SHOWN_OF = Phrase("Көрсөтүлдү: {0}.", "Показано: {0}.", "Shown: {0}.")
    val NO_MATCH = Phrase(
        "Ылайыктуу жумуш табылган жок. Азыраак сөз же чыпка колдонуп көрүңүз.",
        "Подходящих вакансий нет. Попробуйте меньше слов или фильтров.",
        "No jobs match. Try fewer words or filters.",
    )
    val FILTERS = Phrase("Чыпкалар: {0}.", "Фильтры: {0}.", "Filters: {0}.")
    val WITHIN = Phrase("сизден {0} чейин", "не дальше {0} от вас", "within {0} of you")
    val ACCESS_HAS = Phrase("Имаратта бар: {0}.", "В здании есть: {0}.", "The building has: {0}.")
    val ACCESS_NOTHING_MET = Phrase(
        "Имараттын ыңгайлуулуктары тастыкталган эмес.",
        "Удобства здания не подтверждены.",
        "No accessibility features of the building are confirmed.",
    )
    val ACCESS_NO_REPORTS = Phrase(
        "Имараттын жеткиликтүүлүгү: азырынча эч ким билдирген жок.",
        "Доступность здания: пока никто не сообщил.",
        "Building access: nobody has reported yet.",
    )
    val REMOTE_NO_BUILDING = Phrase(
        "Аралыктан иш: барчу имарат жок.",
        "Удалённая работа: здания для посещения нет.",
        "Remote work: there is no building to visit.",
    )
    val VERIFIED = Phrase("текшерилген уюм", "проверенная организация", "verified organization")

    // ---- job details ----------------------------------------------------------------------------

    val OPEN = Phrase("Арыздар кабыл алынууда", "Отклики принимаются", "Taking applications")
    val CLOSED = Phrase(
        "Жабылган, арыз кабыл алынбайт",
        "Закрыта, отклики не принимаются",
        "Closed, no longer taking applications",
    )
    val POSTED = Phrase("Жарыяланган: {0}.", "Опубликована: {0}.", "Posted {0}.")
    val JOB_NOT_ON_PHONE = Phrase(
        "Бул жумуш мындан ары бул телефондо жок: ал жабылган же өчүрүлгөн.",
        "Этой вакансии больше нет на телефоне: её закрыли или удалили.",
        "This job is no longer on this phone: it was closed or removed.",
    )
    val APPLY_CALL = Phrase("Чалуу: {0}", "Позвонить: {0}", "Call {0}")
    val APPLY_SMS = Phrase("Кыска билдирүү жазуу: {0}", "Написать сообщение: {0}", "Text {0}")
    val APPLY_WHATSAPP = Phrase("WhatsApp аркылуу жазуу: {0}", "Написать в WhatsApp: {0}", "Write on WhatsApp to {0}")
    val APPLY_EMAIL = Phrase("Кат жазуу: {0}", "Написать письмо: {0}", "Email {0}")
    val APPLY_VISIT = Phrase("Жеке келүү: {0}", "Прийти лично: {0}", "Go in person: {0}")
    val APPLY_MESSAGE = Phrase(
        "Саламатсызбы! Teng'деги «{0}» жумушу боюнча жазып жатам.",
        "Здравствуйте! Пишу по поводу вакансии «{0}» в Teng.",
        "Hello! I am writing about the job “{0}” on Teng.",
    )
    val LAST_REPORTED = Phrase(
        "Акыркы билдирүү: {0}.",
        "Последнее сообщение: {0}.",
        "Last reported {0}.",
    )
    val NOBODY_REPORTED = Phrase(
        "Бул имарат тууралуу азырынча эч ким билдирген жок.",
        "Об этом здании пока никто не сообщил.",
        "Nobody has reported on this building yet.",
    )
    val REPORTS_COUNTED = Phrase(
        "Эсепке алынган билдирүүлөр: {0}.",
        "Учтено сообщений: {0}.",
        "Reports counted: {0}.",
    )
    val FACT_LINE = Phrase("{0}: {1}. {2}, {3}, {4}.", "{0}: {1}. {2}, {3}, {4}.", "{0}: {1}. {2}, {3}, {4}.")
    val CONFIDENCE = Phrase("ишеним {0}", "уверенность {0}", "confidence {0}")
    val REPORTED_AGO = Phrase("акыркы билдирүү {0}", "последнее сообщение {0}", "last reported {0}")
    val NOT_SENT_YET = Phrase(
        "Азырынча жөнөтүлгөн жок",
        "Ещё не отправлено",
        "Not sent yet",
    )
    val SAVED = Phrase("Сакталган", "Сохранено", "Saved")

    // ---- saved jobs -----------------------------------------------------------------------------

    val SAVED_AGO = Phrase("Сакталды: {0}.", "Сохранено: {0}.", "Saved {0}.")
    val NOTE = Phrase("Эскертме: {0}", "Заметка: {0}", "Note: {0}")
    val GONE_TITLE = Phrase(
        "Мындан ары жок жумуш",
        "Вакансия, которой больше нет",
        "A job that is no longer listed",
    )
    val GONE = Phrase(
        "Teng'де мындан ары жок: жабылган же өчүрүлгөн",
        "Больше нет в Teng: закрыта или удалена",
        "No longer on Teng: closed or removed",
    )
    val SAVED_COUNT = Phrase("Сакталган жумуштар: {0}.", "Сохранённые вакансии: {0}.", "Saved jobs: {0}.")
    val NO_SAVED_JOBS = Phrase(
        "Сизде азырынча сакталган жумуш жок. Жумушту анын барагынан сактаңыз.",
        "У вас пока нет сохранённых вакансий. Сохраните вакансию на её странице.",
        "You have no saved jobs yet. Save a job from its page.",
    )
    val REMOVED_FROM_SAVED = Phrase(
        "Сакталгандардан алынды: {0}.",
        "Удалено из сохранённых: {0}.",
        "Removed from saved jobs: {0}.",
    )
    val WILL_SEND = Phrase(
        "Кийинки синхрондоодо жөнөтүлөт.",
        "Отправится при следующей синхронизации.",
        "It will be sent with the next sync.",
    )

    // ---- reports --------------------------------------------------------------------------------

    val HOW_DO_YOU_KNOW = Phrase("Муну кайдан билесиз?", "Откуда вы это знаете?", "How do you know?")
    val DONT_KNOW = Phrase("билбейм", "не знаю", "don't know")
    val REPORT_KEPT = Phrase(
        "Билдирүүңүз телефонго сакталды. Ал кийинки синхрондоодо жөнөтүлөт.",
        "Ваше сообщение сохранено на телефоне. Оно уйдёт при следующей синхронизации.",
        "Your report is saved on this phone. It will be sent with the next sync.",
    )
    val REPORT_SENT = Phrase("Жөнөтүлдү", "Отправлено", "Sent")
    val REPORT_NOT_ACCEPTED = Phrase(
        "Сервер кабыл алган жок: {0}",
        "Сервер не принял: {0}",
        "Not accepted by the server: {0}",
    )
    val REPORT_ROW = Phrase("{0}. {1}", "{0}. {1}", "{0}. {1}")
    val REPORT_NOTE_ONLY = Phrase("Эскертме гана", "Только заметка", "A note only")
    val MY_REPORTS = Phrase(
        "Бул имарат тууралуу билдирүүлөрүңүз: {0}.",
        "Ваши сообщения об этом здании: {0}.",
        "Your reports on this building: {0}.",
    )
    val ALL_MY_REPORTS = Phrase(
        "Сиздин билдирүүлөрүңүз: {0}.",
        "Ваши сообщения: {0}.",
        "Your reports: {0}.",
    )
    val NO_MY_REPORTS = Phrase(
        "Сиз азырынча эч нерсе билдирген жоксуз. Имараттын барагынан билдирсеңиз болот.",
        "Вы пока ничего не сообщали. Сообщить можно на странице здания.",
        "You have not reported anything yet. You can from a building's page.",
    )
    val UNKNOWN_BUILDING = Phrase(
        "Бул телефондо жок имарат",
        "Здание, которого нет на этом телефоне",
        "A building not on this phone",
    )
    val REOPEN_KEPT = Phrase(
        "Сакталды: сиз бул дагы эле оңдоло элек дедиңиз. Бул кийинки синхрондоодо жөнөтүлөт.",
        "Записано: вы сообщили, что это всё ещё не исправлено. Это уйдёт при следующей синхронизации.",
        "Kept: you said this is still not fixed. It will be sent with the next sync.",
    )
    val REOPEN_NOT_ACCEPTED = Phrase(
        "«Дагы эле оңдоло элек» деген жообуңузду сервер кабыл алган жок: {0}",
        "Сервер не принял ваше «всё ещё не исправлено»: {0}",
        "The server did not accept your \"still not fixed\": {0}",
    )
    val NOTHING_TO_REPORT = Phrase(
        "Билдире турган эч нерсе жок: жок дегенде бир суроого жооп бериңиз же эскертме жазыңыз.",
        "Нечего отправить: ответьте хотя бы на один вопрос или напишите заметку.",
        "Nothing to report: answer at least one question or write a note.",
    )
    val WHOLE_NUMBER_BETWEEN = Phrase(
        "{0} менен {1} ортосундагы бүтүн санды жазыңыз.",
        "Введите целое число от {0} до {1}.",
        "Enter a whole number from {0} to {1}.",
    )
    val NOTE_TOO_LONG = Phrase(
        "Эскертме өтө узун: {0} белгиден ашпасын.",
        "Заметка слишком длинная: не больше {0} знаков.",
        "The note is too long: at most {0} characters.",
    )
    val FIELD_NOT_ACCEPTED = Phrase(
        "Бул маани кабыл алынбайт: {0}",
        "Это значение не подходит: {0}",
        "This value is not accepted: {0}",
    )

    // ---- errors of the store --------------------------------------------------------------------

    val STORE_DAMAGED = Phrase(
        "Телефондогу Teng маалыматтары бузулган. Тиркемени кайра ачып, синхрондоңуз.",
        "Данные Teng на телефоне повреждены. Откройте приложение заново и синхронизируйте.",
        "Teng's data on this phone is damaged. Open the app again and sync.",
    )
    val STORE_UNAVAILABLE = Phrase(
        "Телефондогу Teng маалыматтарын азыр окуу мүмкүн эмес (эстутум толгон болушу мүмкүн). Кийинчерээк кайра аракет кылыңыз.",
        "Сейчас не удаётся прочитать данные Teng на телефоне (возможно, память заполнена). Попробуйте позже.",
        "Teng's data on this phone cannot be read right now (the storage may be full). Try again later.",
    )
    val APP_TOO_OLD = Phrase(
        "Бул маалыматтар Teng'дин жаңыраак версиясынан. Тиркемени жаңыртыңыз.",
        "Эти данные записаны более новой версией Teng. Обновите приложение.",
        "This data comes from a newer Teng. Update the app.",
    )
    val SOMETHING_WENT_WRONG = Phrase(
        "Бир нерсе туура эмес болду. Кайра аракет кылыңыз.",
        "Что-то пошло не так. Попробуйте ещё раз.",
        "Something went wrong. Try again.",
    )
}
