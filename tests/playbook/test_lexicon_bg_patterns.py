"""The general Bulgarian patterns of lexicon/bg.toml: each family is found in persons, tenses and
word orders an agent uses, is cancelled by a negation, and leaves its look-alikes alone. The
sentences are written for these tests, not taken from tests/data/coach_eval."""

from datetime import date

import pytest

from amends.playbook import Context, check_reply

CTX = Context(today=date(2026, 11, 23))  # a Monday


def kinds(text: str) -> set[str]:
    review = check_reply(text, "bg", CTX)
    present = {k for k, e in review.elements.items() if e.present and k != "next_step"}
    return present | set(review.flag_kinds())


PRESENT = [
    # ownership: the case is with me / mine / assigned to me / I carry it to the end
    ("ownership", "Рекламацията Ви вече е при мен и аз ще я доведа докрай."),
    ("ownership", "Жалбата Ви остава в моите ръце."),
    ("ownership", "Въпросът с отоплението е моя отговорност."),
    ("ownership", "От днес сигналът Ви е на моето бюро."),
    ("ownership", "Запитването беше пренасочено към мен."),
    ("ownership", "Възложиха ми Вашата поръчка тази сутрин."),
    ("ownership", "Аз ще го проверя още днес."),
    ("ownership", "Аз съм служителката, която ще води Вашата рекламация."),
    ("ownership", "Ще следя ремонта, докато не приключи."),
    ("ownership", "Ще се занимавам с Вашата замяна от начало до край."),
    ("ownership", "Няма да го прехвърлям на друг колега."),
    ("ownership", "Ще Ви държа в течение."),
    # ownership: a self-introduction with a first-person promise, a case with a demonstrative,
    # an act done personally, the only contact, help to the end
    ("ownership", "Казвам се Иван Петров и аз лично ще отговарям за ремонта."),
    ("ownership", "Аз съм Гергана от склада и оттук нататък ще следя поръчката ти."),
    ("ownership", "Ще работя лично по Вашата рекламация."),
    ("ownership", "Ще поема тази поръчка от колегата си."),
    ("ownership", "Утре ще огледам покрива лично."),
    ("ownership", "Лично ще прегледам документите."),
    ("ownership", "Оставам единственият Ви контакт по този въпрос."),
    ("ownership", "Ще ти помогна докрай."),
    # apology with the perfective "извините"
    ("apology", "Моля да ме извините за грешката във фактурата."),
    ("apology", "Надяваме се да ни извините за забавянето."),
    ("apology", "Извинявайте ни за неудобството."),
    ("apology", "Много ни е неприятно, че се стигна дотук."),
    ("ownership", "Аз съм Вашият личен консултант по този казус."),
    # the customer deals with me directly
    ("ownership", "Отсега нататък ще работите само с мен."),
    ("ownership", "Ще бъда Вашата точка за контакт."),
    ("ownership", "Обадете ми се директно на 0888 123 456."),
    # clarify: a question about the customer's act, a future-tense request, more documents
    ("clarify", "Кога точно забелязахте проблема?"),
    ("clarify", "Ще ми изпратите ли снимка на етикета?"),
    ("clarify", "Липсва ми номерът на фактурата – ще ми го изпратите ли?"),
    ("clarify", "Ако не е проблем, изпратете ни серийния номер."),
    # clarify: the "ти" form of a request, a question word after the imperative
    ("clarify", "Можеш ли да ми пратиш снимка на бележката?"),
    ("clarify", "Би ли ми казал кога си вкъщи?"),
    ("clarify", "Прати ни номера на поръчката."),
    ("clarify", "Напишете ни колко броя липсват."),
    # blame_customer: modal + 2nd person, counterfactual, "next time", despite warnings,
    # the customer's act as the cause, late hand-in
    ("blame_customer", "Трябваше да проверите размера, преди да поръчате."),
    ("blame_customer", "Е трябвало да смените паролата си."),
    ("blame_customer", "Можеше да ни попиташ предварително."),
    ("blame_customer", "Би трябвало да сте прочели договора."),
    ("blame_customer", "Ако бе прочела инструкцията, уредът щеше да работи."),
    ("blame_customer", "Ако го бяхте изключили навреме, нямаше да има повреда."),
    ("blame_customer", "Занапред, моля, пазете касовата бележка."),
    ("blame_customer", "Следващия път провери адреса."),
    ("blame_customer", "Въпреки че ясно Ви предупредихме, уредът е пуснат без вода."),
    ("blame_customer", "Въпреки многократните ни напомняния документите липсват."),
    ("blame_customer", "Повредата е в резултат на Вашата небрежност."),
    ("blame_customer", "Спирането е последица от Вашето неплащане."),
    ("blame_customer", "Забавянето се дължи на Вас."),
    ("blame_customer", "Платихте сметката едва след крайния срок."),
    ("blame_customer", "Документите ни бяха изпратени чак през декември."),
    ("blame_customer", "Цветът беше одобрен лично от Вас."),
    ("blame_customer", "При неправилна употреба гаранцията отпада."),
    ("blame_customer", "Не си прочел условията."),
    ("blame_customer", "Сбъркали сте модела."),
    ("blame_customer", "Проблемът е във Вашия рутер."),
    ("blame_customer", "Следващия път да проверявате адреса."),
    # the fault lies with the customer; the act came from the customer's own account
    ("blame_customer", "Грешката е изцяло при Вас, не при нас."),
    ("blame_customer", "Причината идва от теб."),
    ("blame_customer", "От Вашия профил беше изтрит проектът на 3 март."),
    # the customer's care broke the care rule
    ("blame_customer", "Пуловерът се е свил от сушилнята."),
    ("blame_customer", "Вълнени пуловери в сушилня не се сушат."),
    ("blame_customer", "Тенджерата не се мие в съдомиялна."),
    ("blame_customer", "На етикета пише само ръчно пране."),
    ("blame_customer", "Вие сте изпуснали телефона, затова екранът е счупен."),
    ("blame_customer", "Трябваше да ни пишеш веднага."),
    ("blame_customer", "Проблемът е в браузъра, който използвате."),
    ("blame_others", "Куриерът не е оставил известие."),
    ("blame_others", "Колегата от склада не е сложил кабела в кутията."),
    # blame_others: a third party's failure in any word order, "по вина на", out of our hands
    ("blame_others", "Пратката се забави по вина на превозвача."),
    ("blame_others", "Доставчикът ни сгреши поръчката."),
    ("blame_others", "Поръчката Ви я обърка складът."),
    ("blame_others", "Техникът не дойде в уговорения час."),
    ("blame_others", "Колегата ми не е въвел данните Ви."),
    ("blame_others", "Монтажниците си тръгнаха, без дори да ни предупредят."),
    ("blame_others", "Сумата беше начислена погрешно от банката."),
    ("blame_others", "Куриерската фирма насочи пратката към Варна по погрешка."),
    ("blame_others", "Причината е в хостинг доставчика ни."),
    ("blame_others", "Това не зависи от нас."),
    ("blame_others", "Ръцете ни са вързани, докато агенцията не отговори."),
    ("blame_others", "Това е грешка на склада."),
    ("blame_others", "Отговорността за забавянето е на доставчиците."),
    # responsible as a verb, customs, acting without notice
    ("blame_others", "За забавянето отговаря митницата."),
    ("blame_others", "Куриерската фирма носи отговорност за повредата."),
    ("blame_others", "Доставчикът смени цените без предупреждение."),
    ("blame_others", "Хостинг компанията е спряла сървъра без никакво предизвестие."),
    # defensive: not caused by us, never happens here, lawful, terms accepted, done as ordered
    ("defensive", "Закъснението не е резултат от грешка на нашите служители."),
    ("defensive", "Проблемът е в мрежата Ви, а не от наша страна."),
    ("defensive", "Подобни пропуски при нас не се допускат."),
    ("defensive", "Ние никога не губим пратки."),
    ("defensive", "Няма как стоката да е повредена при нас."),
    ("defensive", "Банката е действала напълно законосъобразно."),
    ("defensive", "Отказът ни е напълно правомерен."),
    ("defensive", "Вие сте приели общите условия при регистрацията."),
    ("defensive", "Услугата е изпълнена точно по Вашата заявка."),
    ("defensive", "Не намираме основание за обезщетение."),
    ("defensive", "Сумата не е сгрешена, както твърдите."),
    ("defensive", "Консултантът е спазил всички правила."),
    ("defensive", "Това не е наша отговорност."),
    ("defensive", "Не сме длъжни да подменим стоката."),
    ("defensive", "Спазили сме всички срокове."),
    # we did our part on time, sending the customer away, sarcasm
    ("defensive", "Ние изпратихме пратката навреме, но тя се забави."),
    ("defensive", "Обърнете се към тях директно."),
    ("defensive", "Оплачете се на куриера."),
    ("defensive", "Искате ли да Ви се извиним публично?"),
    ("defensive", "Какво още искате от нас?"),
    # hiding behind the policy
    ("defensive", "Такава е политиката на фирмата."),
    ("defensive", "Такива са правилата."),
    # everything on our side was right; our records say otherwise
    ("defensive", "Всичко от наша страна е изпълнено коректно."),
    ("defensive", "Не сме получавали такова запитване от Вас."),
    ("defensive", "Нямаме данни за такова обаждане."),
    ("defensive", "Записите ни показват друго."),
    ("vague_delay", "Ще проверим и ще се върнем към Вас."),
    # lecturing: "you are evidently not aware", "everyone should know", "even a child knows"
    ("lecturing", "Явно не сте запознати с условията."),
    ("lecturing", "Всеки шофьор би трябвало да знае това."),
    ("lecturing", "Това го знае и дете."),
    ("lecturing", "Би трябвало да сте запознат с договора."),
    ("lecturing", "Това е първото нещо, което се учи в курса."),
    ("lecturing", "Това е основно понятие в счетоводството."),
    # "it is not hard" as a reproach, rhetorical questions about our workload
    ("lecturing", "Таблицата е точно под снимката, не е трудно."),
    ("lecturing", "Разбирате ли колко заявки получаваме всеки ден?"),
    ("lecturing", "Давате ли си сметка колко клиенти имаме?"),
    ("lecturing", "Вие не разбирате как работи системата."),
    ("lecturing", "Това е съвсем просто, всеки може да го направи."),
    # vague_delay: promises without a date
    ("vague_delay", "Ще Ви известим допълнително."),
    ("vague_delay", "Ще ти се обадя пак."),
    ("vague_delay", "Поправката ще излезе в някоя от следващите версии."),
    ("vague_delay", "Ще дойдем, щом времето позволи."),
    ("vague_delay", "Ще получите частите през предстоящите седмици."),
    ("vague_delay", "Ще Ви отговорим до няколко работни дни."),
    ("vague_delay", "Очакваме отговор от производителя."),
    # in the queue, an undated refund
    ("vague_delay", "Техникът ще дойде, когато Ви дойде редът."),
    ("vague_delay", "Заявката Ви ще бъде обработена по реда на постъпване."),
    ("vague_delay", "Ще Ви върнем сумата."),
    ("vague_delay", "Ще Ви изпратим нов продукт до петък, а разликата ще Ви върнем."),
    # clarify: a request for a detail
    ("clarify", "Изпратете ни правилния адрес."),
    ("clarify", "Кажете ми кога Ви е удобно."),
    ("clarify", "Пуснете ни снимка на етикета."),
    ("clarify", "Благодарна ще съм, ако ми изпратите снимка."),
    # apology and empathy
    ("apology", "Сори за забавянето!"),
    ("empathy", "Разбирам, това провали плановете Ви за уикенда."),
]


@pytest.mark.parametrize(("kind", "text"), PRESENT)
def test_pattern_is_found(kind, text):
    assert kind in kinds(text)


NEGATED = [
    ("ownership", "Случаят не е при мен, а при колегата ми."),
    ("blame_customer", "Не трябваше да проверявате нищо – пропускът е наш."),
    ("blame_others", "Куриерът не е изгубил пратката, тя е в склада ни."),
    ("blame_others", "Техникът никога не е пропускал час."),
    ("lecturing", "Никой не очаква всеки клиент да знае това."),
    ("empathy", "Не бихме искали това да провали почивката Ви."),
    ("apology", "Не очакваме да ни извините."),
    ("blame_customer", "Проблемът не е при Вас."),
    ("blame_customer", "Пуловерът не се е свил от сушилнята, а от дефект в плата."),
    ("blame_others", "Митницата никога не отговаря за забавянето."),
    ("defensive", "Не изпратихме пратката навреме и съжаляваме."),
    ("apology", "Не ни е неприятно да помогнем."),
    ("ownership", "Не съм Вашият координатор."),
]


@pytest.mark.parametrize(("kind", "text"), NEGATED)
def test_negation_cancels_the_pattern(kind, text):
    assert kind not in kinds(text)


LOOK_ALIKES = [
    # a third person, or a request, not the customer's fault
    ("blame_customer", "Пратката трябваше да пристигне в петък, но закъсня по наша вина."),
    ("blame_customer", "Бихте ли могли да проверите серийния номер?"),
    # money owed TO the customer, or a result that helps
    ("blame_customer", "Сумата, която се дължи на Вас, ще бъде преведена до 30 ноември."),
    ("blame_customer", "В резултат на Вашия сигнал отстранихме грешката."),
    ("blame_customer", "Ако бяхте получили грешен продукт, ще го сменим безплатно."),
    # we admit the fault: no blame of others
    ("blame_others", "Изгубихме пратката Ви в склада и съжаляваме."),
    ("blame_others", "Ние сме объркали поръчката, а куриерът само я донесе."),
    ("blame_others", "Куриерът ще вземе продукта, изпратен по погрешка, утре."),
    ("blame_others", "Това не е по вина на куриера, а наша."),
    ("blame_others", "Куриерът ще достави на друг адрес по Ваше желание."),
    # affirming double negation, the customer's claim is well founded, a future promise
    ("defensive", "Няма как да не признаем грешката от наша страна."),
    ("defensive", "Вашата рекламация е напълно основателна."),
    ("defensive", "Ще изработим мебелите точно по Вашия избор до 30 ноември."),
    # an offer, not a request for details
    ("clarify", "Ако имате други въпроси, кажете ми."),
    ("clarify", "Пишете ми, ако имате въпроси."),
    # a colleague is no case noun
    ("ownership", "Тя е моя колежка и ще Ви помогне."),
    ("ownership", "Предадох оплакването Ви на управителя."),
    # a self-introduction without a promise, a third person acting personally
    ("ownership", "Казвам се Иван Петров и работя в отдел Продажби."),
    ("ownership", "Техникът ще ги огледа лично."),
    ("ownership", "Колегата ще работи по Вашата рекламация."),
    # a question asked for a moment's patience is no apology
    ("apology", "Ще ни извините ли за момент?"),
    # the singular imperative is also the aorist: the system sent it, nobody asks for it
    ("clarify", "Системата прати имейл на всички клиенти."),
    ("clarify", "Куриерът изпрати пратката вчера."),
    ("clarify", "Можеш ли да дойдеш утре?"),
    # a negated verb of saying rules out what follows "че"
    ("blame_customer", "В никакъв случай не твърдим, че грешката е Ваша."),
    ("blame_customer", "Не твърдя, че проблемът е при Вас."),
    # the parcel is with the customer: no fault; an action still ahead
    ("blame_customer", "Пратката е при Вас от вчера."),
    ("blame_customer", "От Вашия профил ще бъде изтрит старият адрес."),
    # the appliance itself, a label with our error, damage we call a defect
    ("blame_customer", "Пералнята не се включва, ще изпратим техник утре."),
    ("blame_customer", "На етикета пише размер 42, а Вие получихте 40."),
    ("blame_customer", "Якето се е обезцветило от прането, това е дефект и ще го сменим."),
    # we are responsible, or the third party only did something
    ("blame_others", "Аз отговарям за забавянето и се извинявам."),
    ("blame_others", "Митницата задържа пратката три дни."),
    ("blame_others", "Ще дойдем без предупреждение само ако сте съгласни."),
    # the customer may turn to me
    ("defensive", "Можете да се обърнете към мен по всяко време."),
    # not hard for us / easy to fix; a real question
    ("lecturing", "Не е трудно да Ви изпратим нов продукт."),
    ("lecturing", "Не е сложно да се поправи, ще го направим утре."),
    ("lecturing", "За нас не е трудно да сменим частта."),
    ("lecturing", "Знаете ли кога ще сте вкъщи?"),
    # a dated refund, a past refund, a deadline after "но"/"а", a policy statement
    ("vague_delay", "Ще Ви върнем сумата до 30 ноември."),
    ("vague_delay", "Сумата за продукта ще Ви бъде върната в рамките на 5 работни дни."),
    ("vague_delay", "Вчера Ви върнахме сумата."),
    ("vague_delay", "Ще Ви отговоря възможно най-скоро, но не по-късно от петък."),
    ("vague_delay", "Ще Ви отговоря скоро, а най-късно до сряда."),
    ("vague_delay", "Обработваме рекламациите по реда на постъпване."),
    ("vague_delay", "Ще ги поправим до края на идната седмица."),
    # a condition, not a statement about the customer
    ("blame_customer", "Ако сте изпуснали телефона, гаранцията не го покрива."),
    ("lecturing", "Ако не разбирате как работи, ще Ви покажа."),
    # a policy or procedure explained, "просто" = "simply"
    ("defensive", "Това е политиката на фирмата за връщане и тя Ви дава 30 дни."),
    (
        "defensive",
        "Това е процедурата ни за рекламации: изпращате снимка, ние отговаряме до 3 дни.",
    ),
    ("lecturing", "Причината е просто в настройките на рутера."),
    ("lecturing", "Това е просто недоразумение, ще го оправим до петък."),
    # the cause is in what we sent; the courier's next step; a plain fact about a payment
    ("blame_customer", "Проблемът е в модула, който Ви изпратихме."),
    ("blame_others", "Куриерът ще остави пратката в офиса."),
    ("defensive", "Не сме получавали плащане от Вас, затова поръчката чака."),
    ("vague_delay", "Ще се върна към Вас до петък."),
    # a future visit "without warning" on the customer's consent; "easy to get wrong" is empathy
    ("blame_others", "Нашият техник ще мине без предупреждение само ако дадете съгласие."),
    ("lecturing", "Не е трудно да се сгреши при толкова много опции – ще Ви помогнем."),
    # the writer, not the customer, says when
    ("clarify", "Ще Ви кажа кога точно ще дойде техникът."),
    # a clock time before the promise is a term
    ("vague_delay", "Утре до 12:00 ще Ви се обадим."),
    # told about the past
    ("vague_delay", "Преди няколко дни получихме пратката."),
    ("vague_delay", "Чакате от няколко седмици, знам."),
    # "sorry you are angry" regrets the customer's reaction, it is no apology
    ("apology", "Съжалявам, че се ядосахте, но така пише в условията."),
]


@pytest.mark.parametrize(("kind", "text"), LOOK_ALIKES)
def test_look_alike_does_not_count(kind, text):
    assert kind not in kinds(text)
