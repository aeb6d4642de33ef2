"""Name pools for the traffic a Kyrgyz PIU sees, and how each name is written where.

Why our own lists: Faker has no Kyrgyz, Kazakh, Tajik or Uzbek locale, and the point of
synthetic traffic here is the gap between how a name is *written in the passport* (API
data, read from the MRZ) and how an agent *typed it into the booking* (PNR data). A person
is therefore kept in their native script, and two renderings are derived:

* :func:`passport_name`: ICAO Doc 9303 Part 3 transliteration of Cyrillic (``Ю`` -> ``IU``,
  ``Ж`` -> ``ZH``, ``Х`` -> ``KH``, ``Й`` -> ``I``), with the national practice of the
  Kyrgyz and Kazakh passport offices for the letters Doc 9303 does not list (``Ү`` ``Ө``
  ``Ң`` ``Қ`` ``Ғ`` ``Ә`` ``Ұ`` ``Һ``). Latin names lose their diacritics the way the MRZ
  writes them (``Ö`` -> ``OE`` for German, ``O`` for Turkish).
* :func:`booking_variant`: what an agent types: the older Soviet / English spelling
  (``YUSUPOV``, ``DZHUMABAEV``), a German-style one (``JUSUPOV``), the patronymic dropped
  or glued to the given name, given name and surname swapped, a typo.

The generator's tables are deliberately independent of the screening package's tables
(:mod:`piu.screening.translit`): a test that used the matcher's own spelling rules to make
its variants would only prove the matcher agrees with itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = [
    "GROUPS",
    "NameGroup",
    "NativeName",
    "TypedName",
    "booking_variant",
    "draw_name",
    "icao_cyrillic",
    "native_full_name",
    "passport_name",
    "romanise_variant",
    "typo",
]

# --- Cyrillic transliteration tables --------------------------------------------------------

# ICAO Doc 9303 Part 3 (8th ed., 2021), section 6 table for Cyrillic; Kyrgyz/Kazakh extra
# letters as Kyrgyz and Kazakh passports print them.
_ICAO: dict[str, str] = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH",
    "З": "Z", "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O",
    "П": "P", "Р": "R", "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS",
    "Ч": "CH", "Ш": "SH", "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU",
    "Я": "IA", "Ү": "U", "Ө": "O", "Ң": "N", "Қ": "K", "Ғ": "G", "Ә": "A", "Ұ": "U",
    "Һ": "H", "І": "I", "Ӣ": "I", "Ӯ": "U", "Ҳ": "H", "Ҷ": "J",
}  # fmt: skip

# What agents and older documents write instead (BGN/PCGN-like, Soviet-era passports,
# German-style). Each letter maps to its alternatives, most common first.
_AGENT: dict[str, tuple[str, ...]] = {
    "Ю": ("YU", "JU", "U"),
    "Я": ("YA", "JA"),
    "Ж": ("J", "ZH", "DZH"),
    "Х": ("H", "KH", "X"),
    "Й": ("Y", "J", ""),
    "Е": ("YE", "E"),  # after a vowel or at the start; elsewhere always E
    "Ё": ("YO", "E"),
    "Ц": ("TS", "C", "TZ"),
    "Щ": ("SCH", "SHCH"),
    "Ы": ("Y", "I"),
    "Ү": ("U", "UE", "Y"),
    "Ө": ("O", "OE", "U"),
    "Ң": ("NG", "N"),
    "Қ": ("Q", "K"),
    "Ғ": ("GH", "G"),
    "Ҷ": ("J", "DZH", "ZH"),
}


def icao_cyrillic(text: str) -> str:
    """``Юсупов`` -> ``IUSUPOV``: Doc 9303 transliteration, upper case, other characters kept."""
    out = []
    for ch in text.upper():
        out.append(_ICAO.get(ch, ch))
    return "".join(out)


def romanise_variant(text: str, rng: random.Random) -> str:
    """One agent-style romanisation of a Cyrillic name: per letter, an alternative spelling
    with probability one half (``Жумабаев`` -> ``DZHUMABAEV``, ``JUMABAEV``, ``ZHUMABAEV``).
    ``ДЖ`` is treated as one sound (``J`` / ``DZH``), as agents hear it."""
    up = text.upper().replace("ДЖ", "Ҷ")
    # one choice of scheme for the whole name, as one person types consistently
    pick = {k: (v[0] if rng.random() < 0.6 else rng.choice(v)) for k, v in _AGENT.items()}
    out = []
    for i, ch in enumerate(up):
        if ch == "Е" and (i == 0 or up[i - 1] in "АЕЁИОУЫЭЮЯЪЬ"):
            out.append(pick["Е"])
        elif ch == "Е":
            out.append("E")
        elif ch in pick:
            out.append(pick[ch])
        else:
            out.append(_ICAO.get(ch, ch))
    result = "".join(out)
    if result.endswith("OV") and rng.random() < 0.05:
        result = result[:-2] + "OFF"
    return result


_LATIN_MRZ = str.maketrans(
    {
        "Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Ø": "OE", "Æ": "AE",
        "É": "E", "È": "E", "Ê": "E", "Ë": "E", "À": "A", "Â": "A", "Á": "A", "Ç": "C",
        "Î": "I", "Ï": "I", "Í": "I", "Ô": "O", "Ó": "O", "Ù": "U", "Û": "U", "Ú": "U",
        "Ñ": "N", "Ł": "L", "Ś": "S", "Ź": "Z", "Ż": "Z", "Ć": "C", "Ń": "N", "Ę": "E",
        "Ą": "A", "Ş": "S", "Ğ": "G", "İ": "I", "I": "I", "'": "", "-": " ",
    }
)  # fmt: skip
# Turkish passports write Ö and Ü as plain O and U in the MRZ.
_TURKISH_MRZ = str.maketrans({"Ö": "O", "Ü": "U"})
# What a keyboard without the letters gives.
_PLAIN = str.maketrans({"Ö": "O", "Ü": "U", "Ä": "A", "ß": "SS"})


# --- the pools -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameGroup:
    """One naming tradition: names in native script, and how patronymics and female
    surnames are formed. ``romanised`` maps a native name to its Latin spellings (first is
    the passport one) for scripts that have no fixed transliteration (Arabic, Chinese)."""

    key: str
    script: str  # "cyrillic", "latin", "arabic", "han"
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    patronymic: bool = False
    nationalities: tuple[tuple[str, float], ...] = ()
    romanised: dict[str, tuple[str, ...]] | None = None


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


KYRGYZ = NameGroup(
    key="kyrgyz",
    script="cyrillic",
    male=_split(
        "Азамат Бакыт Нурлан Эрлан Адилет Улан Мирлан Жаныбек Алмазбек Талант Бактыбек "
        "Нурбек Эрмек Кубанычбек Султан Айбек Максат Руслан Тимур Медер Жоомарт Чыңгыз "
        "Урмат Канат Мелис Данияр Эламан Бекзат Нурсултан Үмүтбек Төлөгөн Асылбек"
    ),
    female=_split(
        "Айгерим Айпери Нургүл Жылдыз Бермет Гүлнара Айжан Чолпон Назира Асель Айзада "
        "Мээрим Жибек Элнура Динара Бактыгүл Нуриза Айнура Гулзат Мөлдир Сезим Каныкей"
    ),
    surnames=_split(
        "Асанов Жумабаев Токтогулов Абдылдаев Осмонов Сыдыков Мамытов Бакиев Жээнбеков "
        "Атамбаев Усенов Эсенгулов Турдубаев Кадыров Орозбеков Мураталиев Шаршеев "
        "Бообеков Алымкулов Сатыбалдиев Молдоев Иманалиев Кочкоров Тологонов Исаков "
        "Жапаров Акматов Өмүрбеков Үсөнбаев Чынгышев Бектурганов Эркинбеков Ташиев"
    ),
    patronymic=True,
    nationalities=(("KGZ", 0.93), ("RUS", 0.05), ("KAZ", 0.02)),
)

KAZAKH = NameGroup(
    key="kazakh",
    script="cyrillic",
    male=_split(
        "Ерлан Нұрлан Серік Бауыржан Ержан Асхат Дәурен Қайрат Марат Арман Ерболат Айдос "
        "Нұрсұлтан Ғалым Бекзат Жандос Мирас Олжас Талғат Ақылбек Дамир Санжар"
    ),
    female=_split(
        "Айгүл Гүлмира Жансая Әсел Динара Мадина Ақбота Назерке Аружан Салтанат Жанар "
        "Гүлнұр Айжан Дана Әйгерім Балжан"
    ),
    surnames=_split(
        "Нұрланов Сейтқали Жұмабаев Қасымов Серікбаев Ахметов Омаров Бекмұханбетов "
        "Тоқаев Әбдірахманов Жақсыбеков Сәрсенбаев Ыбырайұлы Қуанышев Мұхамеджанов "
        "Есенов Байжанов Тұрсынов Искаков Оспанов"
    ),
    patronymic=True,
    nationalities=(("KAZ", 0.95), ("KGZ", 0.03), ("RUS", 0.02)),
)

UZBEK = NameGroup(
    key="uzbek",
    script="cyrillic",
    male=_split(
        "Бахтиёр Шерзод Дилшод Улугбек Жасур Фаррух Азиз Ботир Рустам Санжар Отабек "
        "Жахонгир Нодир Хуршид Мухаммадали Абдулазиз Шохрух Элёр Хасан Ислом"
    ),
    female=_split(
        "Дилноза Гулнора Нилуфар Малика Шахноза Зулфия Мохира Феруза Нигора Севара "
        "Умида Дилфуза Гулчехра Мафтуна"
    ),
    surnames=_split(
        "Юсупов Каримов Рахимов Хамидов Абдуллаев Турсунов Эргашев Мирзаев Исмоилов "
        "Холматов Собиров Назаров Худойбердиев Усмонов Жураев Алиев Тошматов Юлдашев "
        "Саидов Мухаммадиев"
    ),
    patronymic=True,
    nationalities=(("UZB", 0.9), ("KGZ", 0.1)),
)

TAJIK = NameGroup(
    key="tajik",
    script="cyrillic",
    male=_split(
        "Фаридун Рустам Шамсиддин Далер Манучехр Сухроб Фирдавс Бахром Исмоил Комрон "
        "Джамшед Хуршед Сорбон Зафар Амирхон Абдурахмон"
    ),
    female=_split("Зарина Мехрангез Нигина Тахмина Парвина Шахло Мадина Фотима Гулрухсор"),
    surnames=_split(
        "Рахмонов Назаров Шарипов Саидов Хакимов Джураев Давлатов Сафаров Мирзоев "
        "Ашуров Кодиров Раджабов Холов Юсуфов Каюмов Маҳмадалиев"
    ),
    patronymic=True,
    nationalities=(("TJK", 0.9), ("RUS", 0.1)),
)

RUSSIAN = NameGroup(
    key="russian",
    script="cyrillic",
    male=_split(
        "Александр Сергей Дмитрий Андрей Алексей Максим Евгений Иван Михаил Николай "
        "Владимир Юрий Артём Павел Игорь Олег Виктор Константин Роман Денис Илья Григорий"
    ),
    female=_split(
        "Елена Ольга Наталья Татьяна Ирина Светлана Анна Мария Юлия Екатерина Людмила "
        "Анастасия Ксения Дарья Валентина Галина"
    ),
    surnames=_split(
        "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров "
        "Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев "
        "Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев "
        "Юдин Жуков Щербаков Хохлов"
    ),
    patronymic=True,
    nationalities=(("RUS", 0.85), ("KGZ", 0.12), ("KAZ", 0.03)),
)

TURKISH = NameGroup(
    key="turkish",
    script="latin",
    male=_split(
        "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Yusuf Murat Ömer Ramazan "
        "Halil Süleyman Abdullah Mahmut Emre Burak Serkan Oğuz Çağlar Gökhan"
    ),
    female=_split(
        "Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hülya Özlem Gül "
        "Büşra Esra Merve Gökçe"
    ),
    surnames=_split(
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan "
        "Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Güneş Erdoğan"
    ),
    nationalities=(("TUR", 0.97), ("DEU", 0.03)),
)

ARABIC = NameGroup(
    key="arabic",
    script="arabic",
    male=(
        "محمد",
        "أحمد",
        "عبد الله",
        "علي",
        "حسن",
        "خالد",
        "عمر",
        "يوسف",
        "إبراهيم",
        "عبد الرحمن",
        "سعيد",
        "مصطفى",
    ),
    female=("فاطمة", "عائشة", "مريم", "نور", "سارة", "ليلى", "زينب", "هدى"),
    surnames=(
        "الحسن",
        "الحسيني",
        "العتيبي",
        "الشمري",
        "المصري",
        "الخطيب",
        "حداد",
        "النجار",
        "الأحمد",
        "القحطاني",
        "عبد الكريم",
        "المنصور",
    ),
    nationalities=(
        ("ARE", 0.25),
        ("SAU", 0.2),
        ("EGY", 0.15),
        ("SYR", 0.15),
        ("JOR", 0.1),
        ("IRQ", 0.15),
    ),
    romanised={
        "محمد": ("MOHAMMED", "MUHAMMAD", "MOHAMED", "MOHAMMAD", "MOHD"),
        "أحمد": ("AHMED", "AHMAD", "AHMET"),
        "عبد الله": ("ABDULLAH", "ABDALLAH", "ABDULLA", "ABD ALLAH"),
        "علي": ("ALI", "ALY"),
        "حسن": ("HASSAN", "HASAN"),
        "خالد": ("KHALED", "KHALID"),
        "عمر": ("OMAR", "UMAR"),
        "يوسف": ("YOUSEF", "YUSUF", "YOUSSEF", "YOUSIF"),
        "إبراهيم": ("IBRAHIM", "EBRAHIM", "IBRAHEEM"),
        "عبد الرحمن": ("ABDULRAHMAN", "ABDUL RAHMAN", "ABDELRAHMAN", "ABD AL RAHMAN"),
        "سعيد": ("SAEED", "SAID", "SAIED"),
        "مصطفى": ("MOSTAFA", "MUSTAFA", "MOUSTAFA"),
        "فاطمة": ("FATIMA", "FATMA", "FATEMA"),
        "عائشة": ("AISHA", "AYESHA", "AICHA"),
        "مريم": ("MARIAM", "MARYAM", "MERIEM"),
        "نور": ("NOUR", "NOOR", "NUR"),
        "سارة": ("SARA", "SARAH"),
        "ليلى": ("LAILA", "LEILA", "LAYLA"),
        "زينب": ("ZAINAB", "ZEINAB", "ZAYNAB"),
        "هدى": ("HUDA", "HODA"),
        "الحسن": ("ALHASSAN", "AL HASSAN", "EL HASSAN", "AL-HASAN"),
        "الحسيني": ("ALHUSSEINI", "AL HUSSEINI", "EL HUSSEINY"),
        "العتيبي": ("ALOTAIBI", "AL OTAIBI", "AL-UTAYBI"),
        "الشمري": ("ALSHAMMARI", "AL SHAMMARI", "ALSHAMARI"),
        "المصري": ("ALMASRI", "AL MASRI", "EL MASRY"),
        "الخطيب": ("ALKHATIB", "AL KHATIB", "EL KHATIB"),
        "حداد": ("HADDAD", "HADAD"),
        "النجار": ("ALNAJJAR", "AL NAJJAR", "EL NAGGAR"),
        "الأحمد": ("ALAHMAD", "AL AHMAD", "AL AHMED"),
        "القحطاني": ("ALQAHTANI", "AL QAHTANI", "AL-KAHTANI"),
        "عبد الكريم": ("ABDULKARIM", "ABDUL KARIM", "ABDELKARIM"),
        "المنصور": ("ALMANSOUR", "AL MANSOUR", "AL MANSUR"),
    },
)

CHINESE = NameGroup(
    key="chinese",
    script="han",
    male=("伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "建国", "志强", "晓东"),
    female=("芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "玉兰", "秀英", "晓燕"),
    surnames=("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "马", "郭"),
    nationalities=(("CHN", 1.0),),
    romanised={
        "伟": ("WEI",), "强": ("QIANG",), "磊": ("LEI",), "军": ("JUN",), "洋": ("YANG",),
        "勇": ("YONG",), "杰": ("JIE",), "涛": ("TAO",), "明": ("MING",),
        "建国": ("JIANGUO", "JIAN GUO"), "志强": ("ZHIQIANG", "ZHI QIANG"),
        "晓东": ("XIAODONG", "XIAO DONG"), "芳": ("FANG",), "娜": ("NA",), "敏": ("MIN",),
        "静": ("JING",), "丽": ("LI",), "艳": ("YAN",), "娟": ("JUAN",), "霞": ("XIA",),
        "玉兰": ("YULAN", "YU LAN"), "秀英": ("XIUYING", "XIU YING"),
        "晓燕": ("XIAOYAN", "XIAO YAN"), "王": ("WANG",), "李": ("LI", "LEE"),
        "张": ("ZHANG", "CHANG"), "刘": ("LIU",), "陈": ("CHEN", "CHAN"), "杨": ("YANG",),
        "黄": ("HUANG", "WONG"), "赵": ("ZHAO",), "周": ("ZHOU", "CHOU"), "吴": ("WU",),
        "马": ("MA",), "郭": ("GUO",),
    },
)  # fmt: skip

EUROPEAN = NameGroup(
    key="european",
    script="latin",
    male=_split(
        "Thomas Michael Andreas Stefan Jürgen Klaus Pierre Jean François Nicolas James "
        "John David Peter Marco Giuseppe Jan Piotr Tomasz Lars Björn Søren"
    ),
    female=_split(
        "Anna Maria Sabine Claudia Julia Marie Sophie Camille Élodie Sarah Emma Laura "
        "Giulia Francesca Katarzyna Agnieszka Ingrid"
    ),
    surnames=_split(
        "Müller Schmidt Schneider Fischer Weber Becker Schäfer Martin Bernard Dubois "
        "Lefèvre Smith Jones Taylor Brown Rossi Russo Bianchi Kowalski Nowak Wiśniewski "
        "Jansen Janssen Nielsen Jørgensen Andersson"
    ),
    nationalities=(
        ("DEU", 0.35),
        ("FRA", 0.15),
        ("GBR", 0.15),
        ("ITA", 0.1),
        ("POL", 0.1),
        ("NLD", 0.05),
        ("DNK", 0.05),
        ("SWE", 0.05),
    ),
)

INDIAN = NameGroup(
    key="indian",
    script="latin",
    male=_split("Rahul Amit Vikram Arjun Sanjay Rohan Suresh Karan Anil Deepak"),
    female=_split("Priya Anjali Neha Pooja Kavya Sunita Divya Meera"),
    surnames=_split("Sharma Gupta Singh Patel Kumar Reddy Iyer Nair Verma Das"),
    nationalities=(("IND", 1.0),),
)

GROUPS: dict[str, NameGroup] = {
    g.key: g
    for g in (KYRGYZ, KAZAKH, UZBEK, TAJIK, RUSSIAN, TURKISH, ARABIC, CHINESE, EUROPEAN, INDIAN)
}


# --- a drawn name --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NativeName:
    """A person's name as in their own script; ``patronymic`` only where customary."""

    group: str
    surname: str
    given: str
    patronymic: str | None = None


_SURNAME_FEMININE = (("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина"))


def _feminine(surname: str) -> str:
    for male, female in _SURNAME_FEMININE:
        if surname.endswith(male):
            return surname[: -len(male)] + female
    return surname


def _patronymic(father: str, female: bool, group: NameGroup) -> str:
    """Russian-style patronymic from the father's given name; Kyrgyz and Kazakh passports
    use the same form (``Бакытович``/``Бакытовна``)."""
    stem = father
    if stem.endswith(("й", "ь")):
        stem, male_suffix, female_suffix = stem[:-1], "евич", "евна"
    elif stem.endswith(("а", "я")):
        stem, male_suffix, female_suffix = stem[:-1], "ич", "ична"
    else:
        male_suffix, female_suffix = "ович", "овна"
    return stem + (female_suffix if female else male_suffix)


def draw_name(
    group: NameGroup, female: bool, rng: random.Random, surname: str | None = None
) -> NativeName:
    """A random name of ``group``; ``surname`` (male form) ties family members together."""
    given = rng.choice(group.female if female else group.male)
    base = surname or rng.choice(group.surnames)
    last = _feminine(base) if female and group.script == "cyrillic" else base
    patronymic = _patronymic(rng.choice(group.male), female, group) if group.patronymic else None
    return NativeName(group.key, last, given, patronymic)


# --- renderings ---------------------------------------------------------------------------


def _latin_upper(text: str, group: str) -> str:
    up = text.replace("i", "I").replace("ı", "I").upper()
    if group == "turkish":
        up = up.translate(_TURKISH_MRZ)
    return up.translate(_LATIN_MRZ)


def _romanised(group: NameGroup, native: str, which: int) -> str:
    table = group.romanised or {}
    spellings = table.get(native)
    if not spellings:
        return native.upper()
    return spellings[min(which, len(spellings) - 1)]


def passport_name(name: NativeName) -> tuple[str, str, str | None]:
    """(surname, given names, middle names) as the passport's MRZ gives them: upper-case
    Latin, ICAO transliteration. The patronymic is printed by Kyrgyz, Kazakh, Uzbek and
    Tajik passports; Russian international passports omit it."""
    group = GROUPS[name.group]
    if group.script == "cyrillic":
        patronymic = None
        if name.patronymic and name.group != "russian":
            patronymic = icao_cyrillic(name.patronymic)
        return icao_cyrillic(name.surname), icao_cyrillic(name.given), patronymic
    if group.script in ("arabic", "han"):
        return _romanised(group, name.surname, 0), _romanised(group, name.given, 0), None
    return _latin_upper(name.surname, name.group), _latin_upper(name.given, name.group), None


def native_full_name(name: NativeName) -> str:
    """The name in its own script, surname first for Cyrillic, as national lists write it."""
    if GROUPS[name.group].script == "han":
        return name.surname + name.given
    parts = [name.surname, name.given, name.patronymic]
    if GROUPS[name.group].script != "cyrillic":
        parts = [name.given, name.surname]
    return " ".join(p for p in parts if p)


_KEYBOARD_NEIGHBOURS = {
    "A": "SQ", "B": "VN", "C": "XV", "D": "SF", "E": "WR", "F": "DG", "G": "FH", "H": "GJ",
    "I": "UO", "J": "HK", "K": "JL", "L": "K", "M": "N", "N": "BM", "O": "IP", "P": "O",
    "R": "ET", "S": "AD", "T": "RY", "U": "YI", "V": "CB", "Y": "TU", "Z": "X",
}  # fmt: skip


def typo(text: str, rng: random.Random) -> str:
    """One keying slip: a neighbouring key, a doubled or dropped letter, two letters swapped."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0 and text[i] in _KEYBOARD_NEIGHBOURS:
        return text[:i] + rng.choice(_KEYBOARD_NEIGHBOURS[text[i]]) + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[:i] + text[i + 1 :]
    if text[i + 1 : i + 2].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i + 1 :]


@dataclass(frozen=True, slots=True)
class TypedName:
    """A name as typed in a booking, and which variations were applied (for ground truth)."""

    surname: str
    given: str
    changes: tuple[str, ...]


def booking_variant(name: NativeName, rng: random.Random, *, rate: float = 0.6) -> TypedName:
    """How an agent or the traveller typed the name into the booking.

    With probability ``1 - rate`` the passport spelling is kept (the traveller copied it
    from the passport); otherwise one or two of: another romanisation, the patronymic
    dropped (only when the passport had it) or glued to the given name, given name and
    surname swapped, a typo. The result always differs from the passport rendering when a
    change is reported.
    """
    group = GROUPS[name.group]
    p_surname, p_given, p_middle = passport_name(name)
    surname, given = p_surname, p_given + (f" {p_middle}" if p_middle else "")
    changes: list[str] = []
    if rng.random() >= rate:
        return TypedName(surname, given, ())
    if group.script == "cyrillic" and rng.random() < 0.7:
        s, g = romanise_variant(name.surname, rng), romanise_variant(name.given, rng)
        if (s, g) != (p_surname, p_given):
            surname, given = s, g + (f" {p_middle}" if p_middle else "")
            changes.append("romanisation")
    elif group.script in ("arabic", "han") and group.romanised:
        which_s = rng.randrange(len(group.romanised.get(name.surname, ("",))))
        which_g = rng.randrange(len(group.romanised.get(name.given, ("",))))
        s, g = _romanised(group, name.surname, which_s), _romanised(group, name.given, which_g)
        if (s, g) != (p_surname, p_given):
            surname, given = s, g
            changes.append("romanisation")
    elif group.script == "latin" and any(ch in "ÄÖÜäöüß" for ch in name.surname + name.given):
        surname = name.surname.upper().translate(_PLAIN).translate(_LATIN_MRZ)
        given = name.given.upper().translate(_PLAIN).translate(_LATIN_MRZ)
        if (surname, given) != (p_surname, p_given):
            changes.append("diacritics")
    if p_middle and rng.random() < 0.6:
        given = given.rsplit(" ", 1)[0]
        changes.append("patronymic_dropped")
    roll = rng.random()
    if roll < 0.2:
        surname, given = given.split(" ")[0], surname
        changes.append("swapped")
    elif roll < 0.45 or not changes:
        new = typo(surname, rng)
        if new != surname:
            surname = new
            changes.append("typo")
    passport = (p_surname, p_given + (f" {p_middle}" if p_middle else ""))
    if not changes or (surname, given) == passport:  # a short name, or a typo that undid
        given = given + (" MRS" if name.given in group.female else " MR")
        changes.append("title")
    return TypedName(surname, given, tuple(changes))
