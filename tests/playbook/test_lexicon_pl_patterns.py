"""The general Polish patterns of lexicon/pl.toml: each family found in persons, tenses, word
orders and registers the evaluation replies do not contain, its look-alikes left alone, and
negation still cancelling it. Sentences written for this file, not taken from the eval data."""

from datetime import date

import pytest

from amends.playbook import Context, check_reply
from amends.playbook.lexicon import ELEMENTS

CTX = Context(today=date(2026, 11, 23))  # a Monday


def found(text: str, kind: str) -> bool:
    review = check_reply(text, "pl", CTX)
    if kind in ELEMENTS:
        return review.elements[kind].present
    return kind in review.flag_kinds()


PRESENT = [
    # apology: informal "sorry", shame
    ("apology", "Sorki za zamieszanie z fakturą!"),
    ("apology", "Jest mi naprawdę głupio, że musiał Pan tyle czekać."),
    ("apology", "Wstyd nam, że montaż się przeciągnął."),
    # empathy: emotion without a possessive, surprise denied, conditional feelings
    ("empathy", "Rozumiemy rozczarowanie, bo to miał być prezent."),
    ("empathy", "Szczerze Panią rozumiem."),
    ("empathy", "Wcale się nie dziwię, że jest Pani zła."),
    ("empathy", "Nie dziwię się Pana irytacji."),
    ("empathy", "Sama zdenerwowałabym się na Pani miejscu."),
    ("empathy", "Na Pana miejscu też bym się wkurzył."),
    ("empathy", "Nic dziwnego, że jest Pan rozgoryczony."),
    # ownership: taking it on oneself, personally, in present and future, appointed
    ("ownership", "Tę reklamację wezmę na siebie."),
    ("ownership", "Nie odpuszczę, dopóki nie dostanie Pan pieniędzy."),
    ("ownership", "Sprawę prowadzę osobiście od początku do końca."),
    ("ownership", "Osobiście czuwam nad Pani zamówieniem."),
    ("ownership", "Przypisałam zgłoszenie do siebie."),
    ("ownership", "Zostałam wyznaczona na Pana opiekunkę."),
    ("ownership", "Od dziś odpowiadam przed Panią za cały montaż."),
    ("ownership", "Wszystko proszę uzgadniać bezpośrednio ze mną."),
    ("ownership", "Trzymam rękę na pulsie i codziennie sprawdzam status."),
    ("ownership", "Pana reklamacja jest teraz w moich rękach."),
    ("ownership", "Od dziś kontaktuje się Pan wyłącznie ze mną."),
    ("ownership", "Nie zostawię Pani z tym samej."),
    # clarify: informal imperatives, "niech Pan", "pytam, bo", alternative questions
    ("clarify", "Prześlijcie nam zdjęcie tabliczki znamionowej."),
    ("clarify", "Wyślij proszę zrzut ekranu z błędem."),
    ("clarify", "Dajcie znać, który termin Wam pasuje."),
    ("clarify", "Niech Pan da znać, czy ten termin pasuje."),
    ("clarify", "Pytam, ponieważ od tego zależy dalsza procedura."),
    ("clarify", "Czy usterka pojawia się rano, czy tylko wieczorem?"),
    ("clarify", "Potrzebuję od Pani jeszcze numeru seryjnego."),
    ("clarify", "Brakuje mi jeszcze zdjęcia paragonu."),
    ("clarify", "Chciałabym lepiej zrozumieć, co się stało."),
    ("clarify", "Jak dokładnie wyglądało uszkodzenie?"),
    ("clarify", "Czy ma Pani jeszcze paragon?"),
    # blame_customer: "sam", informal second person, clefts, "although we warned you"
    ("blame_customer", "Sama wybrałaś dostawę do paczkomatu."),
    ("blame_customer", "Pan sam zaznaczył tę opcję w formularzu."),
    ("blame_customer", "Nie opłaciłeś faktury na czas, więc usługa została zawieszona."),
    ("blame_customer", "To Pani przeoczyła termin płatności."),
    ("blame_customer", "Zapomniał Pan o terminie przeglądu."),
    ("blame_customer", "Nie poinformował nas Pan o zmianie adresu."),
    ("blame_customer", "Powinien był Pan zgłosić wadę od razu."),
    ("blame_customer", "Powinnaś była sprawdzić rozmiar."),
    ("blame_customer", "Mimo naszych wielokrotnych przypomnień nie przesłał Pan dokumentów."),
    ("blame_customer", "Uprzedzaliśmy Panią, że kolor może się różnić."),
    ("blame_customer", "Chociaż informowaliśmy Pana o tym dwukrotnie, umowa nie wróciła."),
    ("blame_customer", "Dokumenty otrzymaliśmy od Państwa z opóźnieniem."),
    ("blame_customer", "Pęknięcie to skutek niewłaściwego montażu."),
    ("blame_customer", "Urządzenie było używane niezgodnie z przeznaczeniem."),
    ("blame_customer", "Reklamacja wpłynęła po terminie."),
    ("blame_customer", "Nie był Pan w domu, gdy kurier przyjechał."),
    # blame_others: botched work, misinformation by a colleague, chaos at a supplier
    ("blame_others", "Monter schrzanił podłączenie zmywarki."),
    ("blame_others", "Nasz handlowiec źle Panią poinformował o cenie."),
    ("blame_others", "Poprzednia konsultantka wprowadziła Pana w błąd."),
    ("blame_others", "Producent przysłał nam wadliwą partię."),
    ("blame_others", "U kuriera panuje totalny chaos."),
    ("blame_others", "Skargę proszę złożyć bezpośrednio do nich."),
    ("blame_others", "Bank nie przetworzył płatności na czas."),
    ("blame_others", "Recepcjonistka nie chciała Pani pomóc, co jest niedopuszczalne."),
    ("blame_others", "Kurier zostawił paczkę pod drzwiami bez awizo."),
    ("blame_others", "Kierowca zawiózł paczkę pod zły adres."),
    ("blame_others", "Ekipa montażowa nie stawiła się w umówionym terminie."),
    ("blame_others", "Ten kurier notorycznie gubi paczki."),
    ("blame_others", "Dostaliśmy wadliwą partię od producenta."),
    # defensive: insisting, "our X does not", done on time / correctly, "normal"
    ("defensive", "Musimy jednak podkreślić, że nasze ceny są jasne."),
    ("defensive", "Nasz sklep nie popełnia takich błędów."),
    ("defensive", "To na pewno nie była wina naszego magazynu."),
    ("defensive", "Nie stwierdziliśmy żadnych uszkodzeń przy wydaniu."),
    ("defensive", "Opłatę naliczono prawidłowo."),
    ("defensive", "Zamówienie zostało wysłane terminowo."),
    ("defensive", "Zrealizowaliśmy zlecenie zgodnie z umową."),
    ("defensive", "Lekkie przebarwienia to naturalne zjawisko w drewnie."),
    ("defensive", "Wynik mieści się w normie."),
    ("defensive", "Nie jesteśmy za to odpowiedzialni."),
    ("defensive", "Paczka opuściła magazyn w idealnym stanie."),
    ("defensive", "Nie jest to wada, tylko cecha produktu."),
    ("defensive", "Sklep nie odpowiada za opóźnienia poczty."),
    ("defensive", "Wszystko odbyło się zgodnie z procedurą."),
    ("defensive", "Nie było żadnej awarii sieci w Pana rejonie."),
    # lecturing: "anyone who ... knows", "needless to say", basics, "it works like that"
    ("lecturing", "Każdy, kto kiedykolwiek prowadził firmę, wie, że faktury się przechowuje."),
    ("lecturing", "Wypadałoby pamiętać o terminie płatności."),
    ("lecturing", "Nie muszę chyba przypominać, że regulamin obowiązuje wszystkich."),
    ("lecturing", "To są absolutne podstawy obsługi komputera."),
    ("lecturing", "To żadna tajemnica, że bilety są imienne."),
    ("lecturing", "Proszę wreszcie zrozumieć, że nie zwracamy pieniędzy za bilety."),
    ("lecturing", "Tak to działa w całej branży."),
    ("lecturing", "Muszę Panu jednak przypomnieć, że umowa obowiązuje."),
    ("lecturing", "Regulamin jasno mówi, że zwrot przysługuje w 14 dni."),
    ("lecturing", "Wszystko jest dokładnie opisane w instrukcji."),
    ("lecturing", "Nie ma w tym nic trudnego."),
    ("lecturing", "Zalecamy uważne zapoznanie się z regulaminem."),
    ("lecturing", "Następnym razem proszę sprawdzić rozmiar przed zamówieniem."),
    ("lecturing", "Radziłbym Panu na przyszłość zachować paragon."),
    ("lecturing", "Każdy dorosły klient powinien to wiedzieć."),
    # vague_delay: waiting on someone else or on a free moment, no date
    ("vague_delay", "Dowieziemy, kiedy magazyn w końcu to przyśle."),
    ("vague_delay", "Oddzwonię, jak tylko znajdę chwilę."),
    ("vague_delay", "Wymienimy, gdy tylko producent dośle części."),
    ("vague_delay", "Odpowiedź przyślemy za jakiś czas."),
    ("vague_delay", "Reklamacja jest nadal w trakcie rozpatrywania."),
    ("vague_delay", "Czekamy na odpowiedź od producenta."),
    ("vague_delay", "Odezwiemy się na dniach."),
    ("vague_delay", "Pana reklamacja jest obecnie rozpatrywana."),
    ("vague_delay", "Sprawa zostanie dokładnie przeanalizowana."),
    # inverted "jak wie każdy", "wytłumaczę jeszcze raz"; "za wcześnie", "gdyby Pan je sprawdził",
    # "tym razem proszę"
    ("lecturing", "Jak wie każdy elektryk, przewód trzeba najpierw zabezpieczyć."),
    ("lecturing", "Co wiedzą wszyscy kierowcy: opony zmienia się jesienią."),
    ("lecturing", "Wytłumaczę Pani jeszcze raz, jak działa zwrot."),
    ("lecturing", "Tłumaczę to ponownie, powoli: karta jest imienna."),
    ("blame_customer", "Zamontowała Pani panele zbyt wcześnie, bo wylewka nie wyschła."),
    ("blame_customer", "Pani za szybko uruchomiła piec po montażu."),
    ("blame_customer", "Zgłosiłeś usterkę za późno."),
    ("blame_customer", "Gdyby Pani ją przeczytała, wiedziałaby Pani o opłacie."),
    ("blame_customer", "Tym razem proszę dopilnować, żeby brama była otwarta."),
    ("blame_customer", "Tym razem pamiętaj o kodzie do domofonu."),
    # defensive: "normal wear / shrinkage", "we did not send the wrong X", "what should we apologise
    # for", "it left on time"
    ("defensive", "Ugięcie blatu to naturalna praca drewna."),
    ("defensive", "Odbarwienia na podeszwie to normalne zużycie."),
    ("defensive", "Nie przysłaliśmy Pani uszkodzonego towaru."),
    ("defensive", "Nie naliczyłem Panu zawyżonej kwoty."),
    ("defensive", "Za co niby mielibyśmy przepraszać?"),
    ("defensive", "Przesyłka opuściła sortownię w środę, dokładnie na czas."),
    # blame_others: plural trades, sorting hubs, the sender's system, staffing shortages elsewhere,
    # "odpowiada on", sending the customer to sort it out with them, "X did it, not us"
    ("blame_others", "Hydraulicy z firmy partnerskiej źle podłączyli baterię."),
    ("blame_others", "Technicy nie zamknęli zgłoszenia w systemie."),
    ("blame_others", "Sortownia w Poznaniu pomyliła przesyłki."),
    ("blame_others", "Nasz magazyn ma obecnie braki kadrowe, stąd opóźnienie."),
    ("blame_others", "Zewnętrzne call center ma problemy kadrowe, więc nikt nie odbierał."),
    ("blame_others", "Okna montowała inna ekipa, dlatego za rysy odpowiada ona."),
    ("blame_others", "Musi Pani załatwić zwrot bezpośrednio u producenta."),
    ("blame_others", "Trzeba to rozliczyć z nimi, nie z nami."),
    ("blame_others", "Decyzję o anulowaniu podjęła centrala, nie my."),
    ("blame_others", "Adres zmienił system sklepu partnerskiego, nie my."),
    # empathy: "it sounds ...", "that is unacceptable"
    ("empathy", "Brzmi to bardzo niepokojąco, szczególnie przed wyjazdem."),
    ("empathy", "To brzmi naprawdę okropnie."),
    ("empathy", "Godzina czekania na infolinii to absolutnie nie do przyjęcia."),
    # clarify: more attachments, completeness checks, going through it step by step
    ("clarify", "Prosimy o skan umowy z podpisem."),
    ("clarify", "Proszę o krótki filmik pokazujący, jak pralka piszczy."),
    ("clarify", "Czy to już wszystkie usterki, które Pan zauważył?"),
    ("clarify", "Czy czegoś nie pominęłam?"),
    ("clarify", "Przejdźmy razem krok po kroku przez ustawienia routera."),
    # vague_delay: "we'll see what can be done", "someone will call", "się z Panem skontaktuje"
    ("vague_delay", "Zobaczymy, co się da z tym zrobić."),
    ("vague_delay", "Postaramy się coś wymyślić."),
    ("vague_delay", "Ktoś z działu technicznego oddzwoni."),
    ("vague_delay", "Konsultant się z Panią skontaktuje."),
    # admitting our own fault, "you have every right to", "jedyną osobą kontaktową"
    ("apology", "Usterka leżała wyłącznie po naszej stronie."),
    ("apology", "Daliśmy plamę z tym zamówieniem."),
    ("apology", "Zawiodłam Panią i nie szukam wymówek."),
    ("apology", "Nie stanęłam na wysokości zadania."),
    ("empathy", "Mają Państwo pełne prawo czuć się oszukani."),
    ("empathy", "Domyślam się, ile nerwów kosztował ten weekend."),
    ("ownership", "Od dziś jestem Pani główną osobą kontaktową."),
    # clarify: "czy tak?", "czy zgadza się", when first noticed, what I need, "będę wdzięczna za"
    ("clarify", "Zmywarka nie grzeje wody od wczoraj, czy tak?"),
    ("clarify", "Czy zgadza się, że chodzi o dwie rolety?"),
    ("clarify", "Kiedy po raz pierwszy usłyszała Pani ten stuk?"),
    ("clarify", "Potrzebuję od Pani numeru seryjnego z tabliczki."),
    ("clarify", "Będę wdzięczny za podesłanie zdjęć pęknięcia."),
    # blame_customer: inverted negligence, cleft "to Pan się pomylił", self-repair
    ("blame_customer", "Nie wyczyścił Pan filtra przez pół roku."),
    ("blame_customer", "Zlekceważyli Państwo komunikat o aktualizacji."),
    ("blame_customer", "To Pan się pomylił przy wyborze koloru."),
    ("blame_customer", "Sam Pan rozkręcał obudowę, więc gwarancja wygasła."),
    ("blame_customer", "Na płycie są ślady samodzielnej naprawy."),
    ("blame_customer", "Uszkodzenie nastąpiło wskutek ingerencji użytkownika."),
    # blame_others: trainees, logistics partners, transport firms, "wynika z błędu X"
    ("blame_others", "Praktykantka pomyliła adresy na etykietach."),
    ("blame_others", "Partner logistyczny znowu zawalił termin."),
    ("blame_others", "Firma transportowa uszkodziła regał przy rozładunku."),
    ("blame_others", "Konsultant z infolinii nie zapisał Pana zgłoszenia."),
    ("blame_others", "Opóźnienie wynikło z niedbalstwa przewoźnika."),
    # defensive: goods were fine, "we checked, it works", "we did what we had to",
    # "we always act lawfully", "nothing more could be done"
    ("defensive", "Sprzęt był sprawny w chwili wydania."),
    ("defensive", "Zweryfikowaliśmy zgłoszenie i urządzenie działa prawidłowo."),
    ("defensive", "Zrobiłam, co do mnie należało."),
    ("defensive", "Nasze postępowanie było w pełni prawidłowe."),
    ("defensive", "Nie dostrzegamy żadnych uchybień."),
    ("defensive", "Zawsze postępujemy zgodnie z regulaminem."),
    ("defensive", "Nie dało się nic więcej zrobić."),
    # lecturing: "proszę zapamiętać", "warto było przeczytać", "najwyraźniej nie rozumie Pan",
    # "pozwolę sobie zauważyć", "przypominam o obowiązku", "z którym powinien się Pan zapoznać"
    ("lecturing", "Proszę sobie zapamiętać: faktura przychodzi mailem."),
    ("lecturing", "Warto było wcześniej zajrzeć do instrukcji."),
    ("lecturing", "Widocznie nie rozumie Pan, czym jest rękojmia."),
    ("lecturing", "Każdy myślący klient sprawdza wymiary przed zakupem."),
    ("lecturing", "W umowie jest to jasno zapisane."),
    ("lecturing", "Pozwolę sobie zauważyć, że cennik wisi przy kasie."),
    ("lecturing", "Przypominamy o obowiązku zgłaszania szkód w ciągu 7 dni."),
    ("lecturing", "Dotyczy to umowy, z którą powinien się Pan zapoznać."),
    # vague_delay: work in progress, "na etapie", not knowing when, no date possible
    ("vague_delay", "Pracujemy już nad usunięciem usterki."),
    ("vague_delay", "Trwa jeszcze rozpatrywanie reklamacji."),
    ("vague_delay", "Sprawa jest obecnie na etapie wyjaśniania."),
    ("vague_delay", "Wniosek jest nadal w weryfikacji."),
    ("vague_delay", "Nie wiemy na razie, kiedy dostawca wznowi produkcję."),
    ("vague_delay", "Nie jesteśmy w stanie teraz określić terminu naprawy."),
    ("vague_delay", "Datę montażu trudno obecnie przewidzieć."),
    # "nasza wina", "nasze niedopatrzenie", "must have spoilt", "pod swoje skrzydła", "w jakim stanie"
    ("apology", "Nasza pomyłka, już ją poprawiamy."),
    ("apology", "To było wyłącznie moje przeoczenie."),
    ("apology", "Biję się w pierś za ten mail."),
    ("empathy", "To musiało mocno pokrzyżować Pani plany."),
    ("empathy", "Musieli Państwo przez to przechodzić dwa razy."),
    ("ownership", "Biorę Państwa zgłoszenie pod swoje skrzydła."),
    ("ownership", "Reklamacja jest od dziś u mnie."),
    ("clarify", "W jakim momencie pojawił się komunikat?"),
    ("clarify", "Gdzie dokładnie przecieka zmywarka?"),
]

ABSENT = [
    # look-alikes of the new families
    ("apology", "Z przykrością informujemy, że zwrot nie jest możliwy."),
    ("apology", "Przykro nam, że jest Pani rozczarowana, jednak regulamin jest jasny."),
    ("ownership", "Bierzemy na siebie koszty przesyłki."),
    ("ownership", "Koszty odesłania biorę na siebie."),
    ("clarify", "Sprawdzimy, czy paczka jest w magazynie, czy już u kuriera."),
    ("clarify", "Napisz mi, jeśli paczka nie dotrze do piątku."),
    ("blame_customer", "Jeśli nie zaktualizowałeś jeszcze aplikacji, zrób to ze sklepu."),
    ("blame_customer", "Kurier zgubił Pani paczkę, bardzo przepraszam."),
    ("blame_customer", "Rozumiem, że Pan nie chciał czekać tak długo."),
    ("blame_customer", "Kurier się spóźnił, Pan czekał na próżno."),
    ("blame_customer", "Mimo wcześniejszych informacji o dostawie kurier nie przyjechał."),
    ("blame_customer", "Choć prosiliśmy kuriera o kontakt, nie zadzwonił."),
    ("blame_customer", "Powinieneś otrzymać maila z potwierdzeniem."),
    ("blame_customer", "Dziękuję, że zgłosił Pan problem tak szybko."),
    ("blame_others", "Ekipa zostawiła bałagan i to jest nasza wina."),
    ("blame_others", "Nasz serwis ma w zwyczaju oddzwaniać w ciągu godziny."),
    ("blame_others", "Nasz technik zadzwoni jutro; w razie pytań proszę zwracać się do niego."),
    ("blame_others", "Pralka zepsuła się po dwóch tygodniach, technik przyjedzie jutro."),
    ("blame_others", "Podał Pan zły adres, więc kurier wrócił z paczką."),
    ("blame_others", "Kierownik zmiany przeprosił, to była nasza wina."),
    ("blame_others", "Przepraszam, że kierowca nie dotarł na czas; to moja odpowiedzialność."),
    ("defensive", "To zupełnie normalna rzecz, że klient oczekuje szybkiej odpowiedzi."),
    ("defensive", "Od teraz aplikacja działa poprawnie, błąd naprawiliśmy."),
    ("defensive", "Paczka zostanie wysłana na czas, dopilnuję tego."),
    ("defensive", "Musimy zaznaczyć w systemie zwrot środków."),
    ("defensive", "Nasz kurier nie zrobił zdjęcia paczki, przepraszam."),
    ("defensive", "Proszę pisać do mnie, a nie do naszej infolinii."),
    ("defensive", "Nie dopatrzyliśmy się wcześniej tego błędu, przepraszam."),
    ("defensive", "Zwrot wysłano zgodnie z Pana prośbą na nowy adres."),
    ("defensive", "Standardowy proces reklamacji trwa 14 dni."),
    ("defensive", "Nowy produkt dotrze do Pani w idealnym stanie."),
    ("defensive", "To nie jest błąd z Pana strony."),
    ("blame_customer", "Gdyby Pana nie było w domu, kurier zostawi awizo."),
    ("vague_delay", "Sprawa zostanie przeanalizowana do piątku 27 listopada."),
    ("lecturing", "Jasne, już to sprawdzam."),
    ("lecturing", "Następnym razem kurier zadzwoni przed przyjazdem."),
    ("lecturing", "Gwoli ścisłości: paczka wyjechała w środę."),
    ("vague_delay", "W końcu listopada wyślemy nowy katalog."),
    ("vague_delay", "Gdy w końcu udało się połączyć, rozmowa była krótka."),
    ("vague_delay", "Kiedy kurier przyjedzie, proszę sprawdzić paczkę przy nim."),
    ("vague_delay", "Jak znajdzie Pan chwilę, proszę o telefon."),
    ("vague_delay", "Pisze Pani, że niedługo wyjeżdża, więc kuriera zamówiłam na jutro."),
    # look-alikes of the families above
    ("lecturing", "Powtórzę jeszcze raz: bardzo przepraszam."),
    ("lecturing", "Wyjaśnię jeszcze raz sprawę z magazynem i odpiszę do piątku 27 listopada."),
    ("blame_customer", "Kurier przyjechał za wcześnie i nikogo nie zastał."),
    ("blame_customer", "Tym razem kurier zadzwoni przed przyjazdem."),
    ("defensive", "Przepraszam, nie wysłaliśmy jeszcze nowego rozmiaru."),
    ("defensive", "Czy na pewno nie wysłaliśmy złego rozmiaru? Sprawdzę to."),
    ("defensive", "Normalny proces reklamacji trwa 14 dni."),
    ("defensive", "Czy paczka dotarła na czas?"),
    ("blame_others", "Mamy w tym tygodniu braki kadrowe, przepraszam za opóźnienie."),
    ("blame_others", "Za montaż odpowiada nasz podwykonawca, który przyjedzie jutro o 10:00."),
    ("blame_others", "Wszystko wyjaśnię bezpośrednio z nimi i odezwę się do piątku 27 listopada."),
    ("blame_others", "Proszę ustalić godzinę montażu bezpośrednio z technikiem."),
    ("blame_others", "To my, nie kurier, popełniliśmy błąd."),
    ("empathy", "Pana żądanie jest dla nas nie do przyjęcia."),
    ("empathy", "Taki ton rozmowy to nie do przyjęcia."),
    ("clarify", "Czy to wszystko, co mogę dla Pana zrobić?"),
    ("clarify", "Proszę kierować pisma na adres biura."),
    ("clarify", "Proszę o cierpliwość, skan umowy prześlę jutro."),
    ("clarify", "Technik przejdzie z Panem krok po kroku przez konfigurację."),
    ("vague_delay", "Do piątku 27 listopada zobaczymy, co da się zrobić."),
    ("vague_delay", "Ktoś z serwisu zadzwoni jutro do 12:00."),
    ("vague_delay", "Sprawdzę, czy da się to zrobić szybciej, i odpiszę w środę 25 listopada."),
    ("apology", "Jeśli wina leży po naszej stronie, zwrócimy koszty."),
    ("apology", "Sprawdzimy, czy błąd leży po naszej stronie."),
    ("apology", "Zawiedliśmy się na dostawcy."),
    ("empathy", "Ma Pan prawo odstąpić od umowy w ciągu 14 dni."),
    ("clarify", "Nie wiem, czy tak się da, ale spróbuję."),
    ("clarify", "Potrzebujemy zdjęcia od kuriera, zanim wyślemy część."),
    ("clarify", "Kiedy pierwszy raz zauważyliśmy błąd, od razu go naprawiliśmy."),
    ("clarify", "Będę wdzięczna za cierpliwość."),
    ("blame_customer", "Nie zrobił Pan nic złego, to nasza pomyłka."),
    ("blame_customer", "Samodzielna naprawa nie będzie potrzebna, technik przyjedzie jutro."),
    ("blame_others", "Nasz partner logistyczny przyjedzie jutro o 9:00."),
    ("blame_others", "Stażysta przygotował dla Pana zestawienie."),
    ("blame_others", "Opóźnienie wynika z naszego błędu, przepraszam."),
    ("defensive", "Nowy towar jest już sprawny i czeka na odbiór."),
    ("defensive", "Sprawdziłem po naprawie: wszystko działa poprawnie."),
    ("defensive", "Czy towar był kompletny przy odbiorze?"),
    ("lecturing", "Przypominam o jutrzejszej wizycie technika o 10:00."),
    ("lecturing", "Pozwolę sobie zadzwonić jutro rano."),
    ("lecturing", "Nie rozumiem, jak mogło do tego dojść, przepraszam."),
    ("vague_delay", "Pracujemy nad rozwiązaniem i prześlę je do środy 25 listopada."),
    ("vague_delay", "Termin naprawy to 27 listopada."),
    ("apology", "Jeśli to nasza wina, zwrócimy pieniądze."),
    ("apology", "Czy to nasze niedopatrzenie? Sprawdzę."),
    ("empathy", "Musi Pan to zgłosić do piątku."),
    ("clarify", "Sprawdzimy, w jakim stanie była paczka."),
    ("clarify", "Technik opisze, co dokładnie się dzieje."),
]

NEGATED = [
    ("apology", "Nie jest mi wstyd za tę decyzję."),
    ("empathy", "Nie rozumiem Pana rozczarowania."),
    ("ownership", "Nie biorę tego na siebie."),
    ("blame_customer", "To nie Pani przeoczyła termin, tylko nasz system."),
    ("blame_others", "Monter niczego nie schrzanił, to była wada fabryczna."),
    ("defensive", "Opłaty nie naliczono prawidłowo, dlatego ją korygujemy."),
    ("lecturing", "Nie każdy, kto ma komputer, wie, jak wyczyścić pamięć podręczną."),
    ("lecturing", "Nie powtórzę jeszcze raz tego samego, tylko od razu działam."),
    ("blame_customer", "Nie zamontował Pan paneli za wcześnie, to wina wylewki."),
    ("defensive", "Nie jest to normalne zużycie, wymienimy podeszwę."),
    ("empathy", "To brzmi nie tak stresująco, jak się obawiałem."),
    ("apology", "Pomyłka nie była po naszej stronie."),
    ("defensive", "Nie zrobiliśmy wszystkiego, co do nas należało, i przepraszamy."),
    ("apology", "To nie nasza wina, tylko kuriera."),
]


@pytest.mark.parametrize(("kind", "text"), PRESENT)
def test_general_pattern_is_found(kind, text):
    assert found(text, kind), text


@pytest.mark.parametrize(("kind", "text"), ABSENT)
def test_look_alike_is_left_alone(kind, text):
    assert not found(text, kind), text


@pytest.mark.parametrize(("kind", "text"), NEGATED)
def test_negation_cancels_the_new_patterns(kind, text):
    assert not found(text, kind), text


def test_alternative_question_counts_as_a_question_to_the_customer():
    review = check_reply("Czy paczkę odebrał sąsiad, czy leży w punkcie?", "pl", CTX)
    (evidence,) = review.elements["clarify"].evidence
    assert evidence.text.lower().startswith("czy paczkę")


def test_own_crew_admitted_is_an_apology_not_blame():
    review = check_reply(
        "Ekipa zostawiła bałagan w klatce i to jest nasza wina. Wstyd mi za to.", "pl", CTX
    )
    assert review.elements["apology"].present
    assert review.flag_kinds() == set()
